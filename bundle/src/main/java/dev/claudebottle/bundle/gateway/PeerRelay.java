package dev.claudebottle.bundle.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Passes what one connection reads on to its peer, with backpressure: a side stops reading while
 * the other cannot keep up. Idle or failed, a side closes; closing one side closes the other.
 */
abstract class PeerRelay extends ChannelInboundHandlerAdapter {
    protected final Channel peer;

    PeerRelay(Channel peer) {
        this.peer = peer;
    }

    /** Writes a message to the peer; a write that fails closes this side. */
    protected final void forward(ChannelHandlerContext ctx, Object msg) {
        peer.write(msg).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            }
        });
        if (!peer.isWritable()) {
            // Stop reading before flushing: a flush that drains at once re-enables reading itself.
            ctx.channel().config().setAutoRead(false);
            peer.flush();
            if (peer.isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per read batch rather than per message: fewer syscalls on bulk transfers.
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
