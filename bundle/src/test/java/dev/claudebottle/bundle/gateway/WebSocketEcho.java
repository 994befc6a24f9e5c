package dev.claudebottle.bundle.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real WebSocket server (Netty's RFC 6455 implementation) on loopback, plain or TLS: it greets
 * every session first, echoes each text message, and records the handshake's headers and every
 * message it received. A message {@code reflect HOW} makes it send the handshake's
 * {@code x-api-key} back, as a route's upstream that hands the injected credential back would
 * ({@link Reflection} says how).
 */
final class WebSocketEcho implements AutoCloseable {
    final List<Map<String, String>> handshakes = new CopyOnWriteArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;

    WebSocketEcho(SslContext tls) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new WebSocketServerProtocolHandler("/ws"), new Echo());
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private String key = "";

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                done.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
                handshakes.add(headers);
                key = headers.getOrDefault("x-api-key", "");
                // The server speaks first, in the same write as nothing else: the guest must get it.
                ctx.writeAndFlush(new TextWebSocketFrame("welcome"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            received.add(frame.text());
            if (frame.text().startsWith("reflect ")) {
                Reflection.valueOf(frame.text().substring(8)).send(ctx, key);
                return;
            }
            ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
        }
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
