package dev.claudebottle.bundle.gateway;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** HTTP clients through a gateway that trust one given CA. */
final class TestClients {
    private TestClients() {
    }

    static HttpClient trusting(GatewayFixture through, LeafCertificates ca) throws Exception {
        SSLContext tls = LoopbackClient.trusting(ca.ca());
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(through.address)).sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
