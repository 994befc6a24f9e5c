package dev.claudebottle.bundle.gateway;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP clients through a gateway that trust one given CA. */
final class TestClients {
    private TestClients() {
    }

    static HttpClient trusting(GatewayFixture through, LeafCertificates ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(through.address)).sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
