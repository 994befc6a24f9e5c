package dev.claudebottle.bundle.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what guest connections do, on every connection at once: each connection opened, each read
 * (a request, a tunnel's bytes, a refusal's cause) and each write (an answer, a download relayed to
 * the guest). How the gateway's own warm-up knows to give way.
 */
@ChannelHandler.Sharable
final class GuestActivity extends ChannelDuplexHandler {
    private final LongAdder events = new LongAdder();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        events.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        events.increment();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        events.increment();
        ctx.write(msg, promise);
    }

    long count() {
        return events.sum();
    }
}
