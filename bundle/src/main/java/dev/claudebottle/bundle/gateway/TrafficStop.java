package dev.claudebottle.bundle.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's stop switch, on every guest connection before its codec: once thrown (the bottle's
 * first
 * alert, with {@code egress.on_alert: stop}), every open connection — tunnels, intercepted
 * sessions, WebSockets — is closed and every new one is answered 403 and closed, so nothing more
 * leaves the bottle.
 */
@ChannelHandler.Sharable
final class TrafficStop extends ChannelInboundHandlerAdapter {
    private static final String STOPPED_TEXT = "claude-bottle gateway: this bottle was stopped after an alert "
            + "(on_alert: stop). What you can do: " + Refusal.STOPPED.advice() + ".\r\n";
    private static final byte[] STOPPED = ("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
            + Responses.REASON_HEADER + ": " + Refusal.STOPPED.code() + "\r\nContent-Length: " + STOPPED_TEXT.length()
            + "\r\nConnection: close\r\n\r\n" + STOPPED_TEXT).getBytes(StandardCharsets.US_ASCII);
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean stopped;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (stopped) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(STOPPED)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        open.add(ctx.channel());
        // a connection accepted while the switch was thrown is closed with the rest
        if (stopped) {
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    /**
     * Throws the switch: closes every guest connection and refuses the next ones. Each close is a
     * task on its connection's event loop, so the answer to the request that raised the alert,
     * written in the task running now, goes out first.
     */
    void stop() {
        stopped = true;
        for (Channel channel : open) {
            channel.eventLoop().execute(channel::close);
        }
    }
}
