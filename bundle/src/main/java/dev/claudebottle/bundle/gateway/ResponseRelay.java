package dev.claudebottle.bundle.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BiConsumer;

/**
 * Receives an upstream's response parts and hands them to the forwarder of the guest connection,
 * flushing the guest connection once per read batch (and telling it so, for work that waits until
 * the batch is on its way), and tells it when the upstream went away.
 */
final class ResponseRelay extends ChannelInboundHandlerAdapter {
    private final Channel client;
    private final BiConsumer<Channel, Object> parts;
    private final BiConsumer<Channel, Throwable> gone;
    private final Runnable flushed;
    private Throwable failure;

    /**
     * @param parts takes each part, from the upstream connection it came on
     * @param gone    takes the upstream connection that closed, and the failure that closed it, if one did
     * @param flushed runs after each read batch was flushed to the guest
     */
    ResponseRelay(Channel client, BiConsumer<Channel, Object> parts, BiConsumer<Channel, Throwable> gone,
                  Runnable flushed) {
        this.client = client;
        this.parts = parts;
        this.gone = gone;
        this.flushed = flushed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject) {
            parts.accept(ctx.channel(), msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        client.flush();
        flushed.run();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gone.accept(ctx.channel(), failure);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }
}
