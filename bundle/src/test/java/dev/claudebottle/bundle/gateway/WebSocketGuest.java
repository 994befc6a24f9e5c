package dev.claudebottle.bundle.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (Netty's) as a guest would run it through the gateway: {@code ws://} as
 * an absolute-form request to the proxy, or {@code wss://} inside a CONNECT tunnel the gateway
 * intercepts, trusting the bottle's CA. It offers permessage-deflate, as browsers and most
 * libraries do. Besides the messages it received, it keeps every byte the gateway sent it, so that
 * a test can tell what reached the guest in any frame, whole or in part.
 */
final class WebSocketGuest implements AutoCloseable {
    /** What the session received: text messages, or "closed CODE" when the other side closed it. */
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;

    private WebSocketGuest(GatewayFixture gw, String host, int port, boolean tls, HttpHeaders headers)
            throws Exception {
        URI uri = URI.create((tls ? "wss://" : "ws://") + host + ":" + port + "/ws");
        var handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, true,
                headers, 1 << 20, true, false, -1, !tls);
        CompletableFuture<Void> open = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        if (tls) {
                            ch.pipeline().addLast(new HttpProxyHandler(gw.address));
                            ch.pipeline().addLast(SslContextBuilder.forClient().trustManager(gw.bottleCa.ca()).build()
                                    .newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new WireTap(), new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                WebSocketClientCompressionHandler.INSTANCE,
                                new WebSocketClientProtocolHandler(handshaker, false),
                                new WebSocketFrameAggregator(1 << 20), new Collector(open));
                    }
                });
        channel = b.connect(tls ? InetSocketAddress.createUnresolved(host, port) : gw.address).sync().channel();
        open.get(10, TimeUnit.SECONDS);
    }

    /** Opens a session to {@code host:port} through the gateway. */
    static WebSocketGuest open(GatewayFixture gw, String host, int port, boolean tls, HttpHeaders headers)
            throws Exception {
        return new WebSocketGuest(gw, host, port, tls, headers);
    }

    static WebSocketGuest open(GatewayFixture gw, String host, int port, boolean tls) throws Exception {
        return open(gw, host, port, tls, new DefaultHttpHeaders());
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(bytes)));
    }

    /** Every byte the gateway sent this guest so far (decrypted, for {@code wss://}). */
    String wire() {
        synchronized (wire) {
            return wire.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends one message in two frames: a text frame and its continuation. */
    void sendSplit(String first, String second) {
        channel.write(new TextWebSocketFrame(false, 0, first));
        channel.writeAndFlush(new ContinuationWebSocketFrame(true, 0, second));
    }

    /** The next thing the session received, or null after {@code seconds}. */
    String next(int seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** Copies what the connection reads, before any decoding, into {@link #wire}. */
    private final class WireTap extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws java.io.IOException {
            if (msg instanceof io.netty.buffer.ByteBuf buf) {
                synchronized (wire) {
                    buf.getBytes(buf.readerIndex(), wire, buf.readableBytes());
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Collector extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final CompletableFuture<Void> open;

        Collector(CompletableFuture<Void> open) {
            this.open = open;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open.complete(null);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                received.add(text.text());
            } else if (frame instanceof BinaryWebSocketFrame binary) {
                received.add("binary: " + binary.content().toString(java.nio.charset.StandardCharsets.UTF_8));
            } else if (frame instanceof CloseWebSocketFrame close) {
                received.add("closed " + close.statusCode());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            open.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.completeExceptionally(new IllegalStateException("the connection closed before the handshake"));
            received.add("disconnected");
        }
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
