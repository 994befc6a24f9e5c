package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.UpstreamTrust;
import dev.claudebottle.provision.ca.CertificateAuthority;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every certificate of an {@code upstream_ca} bundle is a trust anchor, whatever its place in the
 * file: the gateway's and the git gate's TLS each verify real TLS servers whose CAs sit anywhere in
 * bundles of one to three CAs, or in one of the system's size; and a refusal for want of a CA names
 * the CA, and says whether one of its name but another key is what is trusted.
 */
class UpstreamTrustOrderTest {
    @TempDir
    Path temp;

    @Test
    void everyCaOfABundleIsAnAnchorWhateverItsPosition() throws Exception {
        List<String> names = List.of("api", "ok", "inspect");
        List<LeafCertificates> cas = new ArrayList<>();
        List<TestUpstream> servers = new ArrayList<>();
        for (String n : names) {
            new CertificateAuthority().mint(n, temp.resolve(n));
            LeafCertificates ca = LeafCertificates.load(temp.resolve(n));
            cas.add(ca);
            servers.add(TestUpstream.https(n + ".fake.test", ca));
        }
        for (List<Integer> order : List.of(List.of(0, 1, 2), List.of(2, 1, 0), List.of(1, 2, 0), List.of(2, 0))) {
            StringBuilder pem = new StringBuilder();
            for (int i : order) {
                pem.append(Files.readString(temp.resolve(names.get(i)).resolve("ca.crt")));
            }
            Path bundle = temp.resolve("bundle-" + order + ".pem");
            Files.writeString(bundle, pem);
            SslContext gateway = UpstreamTrust.clientContext(Optional.of(bundle));
            javax.net.ssl.SSLContext gitGate = UpstreamTrust.sslContext(Optional.of(bundle));
            for (int i : order) {
                String host = names.get(i) + ".fake.test";
                assertThat(handshake(gateway, host, servers.get(i).port())).as(host + " with " + order).isNull();
                assertThat(handshake(gitGate, host, servers.get(i).port())).as(host + " with " + order).isNull();
            }
            // A CA left out of the bundle is no anchor.
            for (int i = 0; i < names.size(); i++) {
                if (!order.contains(i)) {
                    assertThat(handshake(gateway, names.get(i) + ".fake.test", servers.get(i).port())).isNotNull();
                }
            }
        }
        servers.forEach(TestUpstream::close);
    }

    @Test
    void aBundleOfTheSystemsSizeKeepsEveryCaAnAnchorAtItsStartMiddleAndEnd() throws Exception {
        List<String> system = new ArrayList<>();
        for (X509Certificate c : UpstreamTrust.systemCas()) {
            system.add(pem(c));
        }
        assertThat(system).as("the JDK's own CAs").hasSizeGreaterThan(50);
        List<String> names = List.of("api", "ok", "inspect");
        List<TestUpstream> servers = new ArrayList<>();
        List<String> cas = new ArrayList<>();
        for (String n : names) {
            new CertificateAuthority().mint(n, temp.resolve(n));
            LeafCertificates ca = LeafCertificates.load(temp.resolve(n));
            servers.add(TestUpstream.https(n + ".fake.test", ca));
            cas.add(Files.readString(temp.resolve(n).resolve("ca.crt")));
        }
        List<String> bundle = new ArrayList<>(system);
        bundle.add(0, cas.get(0));
        bundle.add(bundle.size() / 2, cas.get(1));
        bundle.add(cas.get(2));
        Path file = temp.resolve("big.pem");
        Files.writeString(file, String.join("", bundle));

        SslContext gateway = UpstreamTrust.clientContext(Optional.of(file));
        javax.net.ssl.SSLContext gitGate = UpstreamTrust.sslContext(Optional.of(file));
        for (int i = 0; i < names.size(); i++) {
            String host = names.get(i) + ".fake.test";
            assertThat(handshake(gateway, host, servers.get(i).port())).as(host).isNull();
            assertThat(handshake(gitGate, host, servers.get(i).port())).as(host).isNull();
        }
        servers.forEach(TestUpstream::close);
    }

    @Test
    void aCaMadeAgainUnderTheSameNameIsNamedInTheRefusal() throws Exception {
        new CertificateAuthority().mint("inspect", temp.resolve("before"));
        new CertificateAuthority().mint("inspect", temp.resolve("after"));
        LeafCertificates before = LeafCertificates.load(temp.resolve("before"));
        Path file = temp.resolve("after").resolve("ca.crt");
        // The JDK's words differ with what the upstream sends: its certificate alone (as the report's
        // servers did) earns "Path does not chain", and with its CA's "signature check failed".
        Map<TestUpstream, String> servers = Map.of(
                TestUpstream.httpsWithoutItsCa("inspect.fake.test", before),
                "Path does not chain with any of the trust anchors",
                TestUpstream.https("inspect.fake.test", before), "signature check failed");

        for (var server : servers.entrySet()) {
            for (Throwable refused : refusals(file, "inspect.fake.test", server.getKey().port())) {
                assertThat(UpstreamConnector.message(refused))
                        .startsWith("the upstream's certificate is not trusted: it was issued by \"O=claude-bottle,"
                                + "CN=claude-bottle inspect CA\"")
                        .contains("did not sign it (another key)");
                assertThat(jdkReason(refused)).contains(server.getValue());
            }
            server.getKey().close();
        }
    }

    @Test
    void aCaNoAnchorIsNamedIsNamedInTheRefusal() throws Exception {
        new CertificateAuthority().mint("api", temp.resolve("api"));
        new CertificateAuthority().mint("ok", temp.resolve("ok"));
        TestUpstream server = TestUpstream.https("api.fake.test", LeafCertificates.load(temp.resolve("api")));
        Path file = temp.resolve("ok").resolve("ca.crt");

        for (Throwable refused : refusals(file, "api.fake.test", server.port())) {
            assertThat(UpstreamConnector.message(refused)).isEqualTo("the upstream's certificate is not trusted:"
                    + " its chain ends in the CA \"O=claude-bottle,CN=claude-bottle api CA\", which is not trusted:"
                    + " add that CA's certificate to upstream_ca");
        }
        server.close();
    }

    @Test
    void aTrustedCaStillMustNameTheHost() throws Exception {
        new CertificateAuthority().mint("api", temp.resolve("api"));
        TestUpstream server = TestUpstream.https("api.fake.test", LeafCertificates.load(temp.resolve("api")));
        Path file = temp.resolve("api").resolve("ca.crt");

        for (Throwable refused : refusals(file, "inspect.fake.test", server.port())) {
            assertThat(refused).isNotNull();
            assertThat(UpstreamConnector.message(refused)).startsWith("No subject alternative DNS name matching")
                    .doesNotContain("not trusted");
        }
        server.close();
    }

    /** What the gateway's TLS and the git gate's each make of {@code host} at {@code port}, trusting {@code file}. */
    private static List<Throwable> refusals(Path file, String host, int port) throws Exception {
        return java.util.Arrays.asList(handshake(UpstreamTrust.clientContext(Optional.of(file)), host, port),
                handshake(UpstreamTrust.sslContext(Optional.of(file)), host, port));
    }

    /** The JDK's refusal that {@code UpstreamTrustManager} explained. */
    private static String jdkReason(Throwable refused) {
        for (Throwable t = refused; t != null; t = t.getCause()) {
            if (t.getSuppressed().length > 0) {
                return String.valueOf(t.getSuppressed()[0].getMessage());
            }
        }
        return "";
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** The git gate's way: a JDK socket verifying the host name. */
    private static Throwable handshake(javax.net.ssl.SSLContext ctx, String host, int port) {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            SSLParameters p = socket.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
            socket.setSSLParameters(p);
            socket.startHandshake();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static Throwable handshake(SslContext ctx, String host, int port) throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            SslHandler[] handler = new SslHandler[1];
            new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    SSLEngine engine = ctx.newEngine(ch.alloc(), host, port);
                    SSLParameters p = engine.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    engine.setSSLParameters(p);
                    handler[0] = new SslHandler(engine);
                    ch.pipeline().addLast(handler[0]);
                }
            }).connect(InetAddress.getLoopbackAddress(), port).sync();
            return handler[0].handshakeFuture().await().cause();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
