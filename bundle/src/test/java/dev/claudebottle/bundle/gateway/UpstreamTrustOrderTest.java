package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every certificate of an {@code upstream_ca} bundle is a trust anchor, whatever its place in the
 * file: the gateway's and the git gate's TLS each verify real TLS servers whose CAs sit anywhere in
 * bundles of one to three CAs.
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
