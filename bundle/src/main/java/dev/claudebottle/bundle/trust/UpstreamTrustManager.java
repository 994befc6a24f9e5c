package dev.claudebottle.bundle.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust in upstreams, host name checks included, whose refusal names the CA an
 * upstream's certificate needs when that is what is missing ({@link MissingIssuer}).
 */
final class UpstreamTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jdk;
    private final MissingIssuer missing;

    UpstreamTrustManager(X509ExtendedTrustManager jdk, MissingIssuer missing) {
        this.jdk = jdk;
        this.missing = missing;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        explaining(chain, () -> jdk.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        explaining(chain, () -> jdk.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        explaining(chain, () -> jdk.checkServerTrusted(chain, authType));
    }

    /** Upstreams are servers: the bundle's clients never verify a client. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("an upstream client context does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("an upstream client context does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an upstream client context does not verify clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }

    /** One of the JDK's checks. */
    private interface Check {
        void run() throws CertificateException;
    }

    private void explaining(X509Certificate[] chain, Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            Optional<String> why = missing.explain(chain);
            if (why.isEmpty()) {
                throw e;
            }
            CertificateException explained = new CertificateException("the upstream's certificate is not trusted: "
                    + why.get());
            explained.addSuppressed(e);
            throw explained;
        }
    }
}
