package dev.claudebottle.bundle.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * What every handler facing a guest connection shares: a forwarder for its requests that follows
 * the connection's writability and closing, idle connections closed, errors closing the connection.
 */
abstract class GuestConnectionHandler extends ChannelInboundHandlerAdapter {
    protected final GatewayServices s;
    protected Forwarder forwarder;

    GuestConnectionHandler(GatewayServices services) {
        this.s = services;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        forwarder = new Forwarder(s, ctx.channel());
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
