package dev.claudebottle.bundle.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTPS server on loopback that answers {@code /large} with a given number of bytes and anything
 * else with a few, over keep-alive, on event loops of its own, remembering only the
 * {@code x-api-key} of the last request: the upstream of the gateway's warm-up and of its benchmark.
 * It is not the limit of a benchmark's variant: it keeps no record of what it served (a list that
 * grows with every request makes each one slower than the last), and its answers are made once.
 */
final class LoopbackUpstream implements AutoCloseable {
    private final EventLoopGroup loops;
    private final AtomicReference<String> lastApiKey = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong replacedKeys = new java.util.concurrent.atomic.AtomicLong();
    private final Channel server;

    private LoopbackUpstream(String host, LeafCertificates ca, int largeBytes, int threads) throws Exception {
        this.loops = new NioEventLoopGroup(threads);
        int chunks = Math.max(1, largeBytes / (64 * 1024));
        var tls = ca.serverContext(host);
        byte[] small = ("hello from " + host + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[64 * 1024]).asReadOnly());
        server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(),
                                new HttpObjectAggregator(64 * 1024), new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        String key = request.headers().get("x-api-key");
                                        if (key != null) {
                                            lastApiKey.set(key);
                                            if (!key.equals(LoopbackClient.PLACEHOLDER)) {
                                                replacedKeys.incrementAndGet();
                                            }
                                        }
                                        ByteBuf body;
                                        if (request.uri().startsWith("/large")) {
                                            CompositeByteBuf large = ctx.alloc().compositeBuffer(chunks);
                                            for (int i = 0; i < chunks; i++) {
                                                large.addComponent(true, chunk.duplicate());
                                            }
                                            body = large;
                                        } else {
                                            body = Unpooled.wrappedBuffer(small);
                                        }
                                        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK, body);
                                        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                                        boolean keepAlive = HttpUtil.isKeepAlive(request);
                                        var written = ctx.writeAndFlush(response);
                                        if (!keepAlive) {
                                            written.addListener(ChannelFutureListener.CLOSE);
                                        }
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /**
     * An upstream on {@code threads} event loops whose certificate {@code ca} signs for
     * {@code host}, answering {@code /large} with {@code largeBytes} (whole 64 KiB chunks, at least one).
     */
    static LoopbackUpstream https(String host, LeafCertificates ca, int largeBytes, int threads) throws Exception {
        return new LoopbackUpstream(host, ca, largeBytes, threads);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** How many requests carried an {@code x-api-key} other than the clients' placeholder. */
    long replacedKeys() {
        return replacedKeys.get();
    }

    /** The {@code x-api-key} the last request carried, if any did. */
    String lastApiKey() {
        return lastApiKey.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
