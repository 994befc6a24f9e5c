package dev.claudebottle.bundle.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/** Requests decrypted inside an intercepted tunnel: every one goes through the forwarder's checks. */
final class InterceptHandler extends ChannelInboundHandlerAdapter {
    private final GatewayServices s;
    private final String host;
    private final int port;
    private Forwarder forwarder;

    InterceptHandler(GatewayServices services, String host, int port) {
        this.s = services;
        this.host = host;
        this.port = port;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        forwarder = new Forwarder(s, ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (req.decoderResult().isFailure()) {
            req.release();
            Responses.send(ctx.channel(), HttpResponseStatus.BAD_REQUEST, "malformed request", true);
            return;
        }
        forwarder.submit(req, host, port, true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            ctx.close();
            return;
        }
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        forwarder.clientWritable(ctx.channel().isWritable());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        forwarder.clientClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
