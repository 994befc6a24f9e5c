package dev.claudebottle.bundle.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what guest connections read, whatever it turns out to be (a request, a tunnel's bytes, a
 * refusal's cause), on every connection at once: how the gateway's own warm-up knows to give way.
 */
@ChannelHandler.Sharable
final class GuestReads extends ChannelInboundHandlerAdapter {
    private final LongAdder reads = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reads.increment();
        ctx.fireChannelRead(msg);
    }

    long count() {
        return reads.sum();
    }
}
