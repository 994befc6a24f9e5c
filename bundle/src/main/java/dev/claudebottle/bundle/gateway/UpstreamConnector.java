package dev.claudebottle.bundle.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens the upstream leg: resolves the host off the event loop, refuses private answers the
 * policy does not allow (the checked address is the one connected to, so a second lookup cannot
 * rebind it), or chains through the manifest's upstream proxy.
 */
final class UpstreamConnector {
    /** Why an upstream could not be reached: the status the guest gets and a reason. */
    record Failure(HttpResponseStatus status, String reason, boolean refused) {
    }

    /** Callbacks of one connection attempt, run on the event loop. */
    interface Outcome {
        void connected(Channel upstream);

        void failed(Failure failure);
    }

    private UpstreamConnector() {
    }

    /** Why a host approved at some addresses is not connected to at others, if it is not. */
    private static Optional<String> moved(String host, List<InetAddress> addresses, java.util.Set<InetAddress> pinned) {
        if (pinned.isEmpty() || pinned.containsAll(addresses)) {
            return Optional.empty();
        }
        return Optional.of(host + " now resolves to " + String.join(", ", addresses.stream()
                .map(InetAddress::getHostAddress).toList()) + ", not to the private-network addresses a person "
                + "approved it at (" + String.join(", ", pinned.stream().map(InetAddress::getHostAddress).sorted()
                .toList()) + ")");
    }

    static void connect(GatewayServices s, EventLoop loop, String host, int port, Decision decision,
                        boolean autoRead, Consumer<Channel> init, Outcome outcome) {
        Reach reach = decision.reach();
        Optional<String> proxy = s.policy().get().source().upstreamProxy();
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) s.config().connectTimeout().toMillis())
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.TCP_NODELAY, true);
        if (proxy.isPresent() && decision.grant().isEmpty()) {
            viaProxy(s, b, loop, URI.create(proxy.get()), host, port, init, outcome);
            return;
        }
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                init.accept(ch);
            }
        });
        s.resolving().execute(() -> {
            List<InetAddress> addresses;
            try {
                addresses = s.resolver().resolve(host);
            } catch (UnknownHostException e) {
                loop.execute(() -> outcome.failed(new Failure(HttpResponseStatus.BAD_GATEWAY,
                        "cannot resolve " + host, false)));
                return;
            } catch (RuntimeException e) {
                loop.execute(() -> outcome.failed(new Failure(HttpResponseStatus.BAD_GATEWAY,
                        "cannot resolve " + host + ": " + message(e), false)));
                return;
            }
            Optional<String> refusal = SsrfGuard.refusal(host, addresses, reach)
                    .or(() -> moved(host, addresses, decision.pinned()));
            if (refusal.isPresent() || addresses.isEmpty()) {
                loop.execute(() -> outcome.failed(new Failure(HttpResponseStatus.FORBIDDEN,
                        refusal.orElse("no address for " + host), true)));
                return;
            }
            if (proxy.isPresent()) {
                // what a person approved is held here, not left to the proxy: it is sent the address checked
                String checked = addresses.stream().min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
                        .orElseThrow().getHostAddress();
                viaProxy(s, b, loop, URI.create(proxy.get()), checked, port, init, outcome);
                return;
            }
            InetAddress target = addresses.stream()
                    .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1)).orElseThrow();
            loop.execute(() -> b.connect(new InetSocketAddress(target, port)).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    outcome.connected(f.channel());
                } else {
                    outcome.failed(new Failure(HttpResponseStatus.BAD_GATEWAY, "cannot connect to " + host + ":"
                            + port + ": " + message(f.cause()), false));
                }
            }));
        });
    }

    /** Chains through the corporate proxy, which resolves the host; its own address is resolved here. */
    private static void viaProxy(GatewayServices s, Bootstrap b, EventLoop loop, URI proxy, String host, int port,
                                 Consumer<Channel> init, Outcome outcome) {
        s.resolving().execute(() -> {
            InetSocketAddress proxyAddress = new InetSocketAddress(proxy.getHost(), proxy.getPort());
            if (proxyAddress.isUnresolved()) {
                loop.execute(() -> outcome.failed(new Failure(HttpResponseStatus.BAD_GATEWAY,
                        "cannot resolve the upstream proxy " + proxy.getHost(), false)));
                return;
            }
            HttpProxyHandler handler = new HttpProxyHandler(proxyAddress);
            handler.setConnectTimeoutMillis(s.config().connectTimeout().toMillis());
            b.resolver(NoopAddressResolverGroup.INSTANCE).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("upstream-proxy", handler);
                    init.accept(ch);
                }
            });
            loop.execute(() -> {
                ChannelFuture f = b.connect(InetSocketAddress.createUnresolved(host, port));
                f.addListener(done -> {
                    if (!done.isSuccess()) {
                        outcome.failed(new Failure(HttpResponseStatus.BAD_GATEWAY, "the upstream proxy refused "
                                + host + ":" + port + ": " + message(done.cause()), false));
                        return;
                    }
                    handler.connectFuture().addListener(tunnel -> {
                        if (tunnel.isSuccess()) {
                            outcome.connected(f.channel());
                        } else {
                            f.channel().close();
                            outcome.failed(new Failure(HttpResponseStatus.BAD_GATEWAY, "the upstream proxy refused "
                                    + host + ":" + port + ": " + message(tunnel.cause()), false));
                        }
                    });
                });
            });
        });
    }

    static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
