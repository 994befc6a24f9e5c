package dev.claudebottle.bundle.trust;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust the bundle has in upstreams (the gateway's intercepted ones, the git gate's HTTPS
 * ones): the system CAs plus the manifest's {@code upstream_ca}, with host name verification.
 */
public final class UpstreamTrust {
    private UpstreamTrust() {
    }

    /** A client context trusting the system CAs and the certificates in {@code extraPem}, if any. */
    public static SslContext clientContext(Optional<Path> extraPem) throws IOException, GeneralSecurityException {
        return SslContextBuilder.forClient().trustManager(trustManager(extraPem)).build();
    }

    /** The same trust as a JDK context, for clients on {@code HttpsURLConnection} (the git gate's JGit). */
    public static SSLContext sslContext(Optional<Path> extraPem) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustManager(extraPem)}, null);
        return context;
    }

    /**
     * The words of the TLS failure in {@code failure}'s causes, if one is: its innermost cause's,
     * which is where the reason a certificate was refused stands.
     */
    public static Optional<String> tlsFailure(Throwable failure) {
        boolean tls = false;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            tls |= t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException;
            root = t;
        }
        return tls ? Optional.of(root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName())
                : Optional.empty();
    }

    /** The JDK's PKIX checks over the anchors, with refusals that name a missing CA. */
    static X509ExtendedTrustManager trustManager(Optional<Path> extraPem) throws IOException, GeneralSecurityException {
        List<X509Certificate> anchors = anchors(extraPem);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate anchor : anchors) {
            store.setCertificateEntry("anchor-" + i++, anchor);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager jdk) {
                return new UpstreamTrustManager(jdk, new MissingIssuer(anchors));
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }

    /** The CAs this JVM trusts of itself. */
    public static List<X509Certificate> systemCas() throws GeneralSecurityException {
        List<X509Certificate> cas = new ArrayList<>();
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        for (var tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                cas.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        return cas;
    }

    private static List<X509Certificate> anchors(Optional<Path> extraPem) throws IOException, GeneralSecurityException {
        List<X509Certificate> anchors = new ArrayList<>(systemCas());
        if (extraPem.isPresent()) {
            try (InputStream in = Files.newInputStream(extraPem.get())) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    anchors.add((X509Certificate) c);
                }
            }
        }
        return anchors;
    }
}
