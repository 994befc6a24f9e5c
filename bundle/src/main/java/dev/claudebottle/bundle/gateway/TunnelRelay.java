package dev.claudebottle.bundle.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes one way between the guest and an upstream, untouched, with backpressure: a side
 * stops reading while the other cannot keep up. Closing one side closes the other.
 */
final class TunnelRelay extends PeerRelay {
    private final AtomicLong bytes;
    private final Runnable onClose;

    TunnelRelay(Channel peer, AtomicLong bytes, Runnable onClose) {
        super(peer);
        this.bytes = bytes;
        this.onClose = onClose;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes.addAndGet(buf.readableBytes());
        }
        forward(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        super.channelInactive(ctx);
        onClose.run();
    }
}
