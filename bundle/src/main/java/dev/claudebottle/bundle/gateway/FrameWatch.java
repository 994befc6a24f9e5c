package dev.claudebottle.bundle.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Watches the frames a route's upstream sends toward the guest for the credential injected into
 * the handshake, as a response is watched ({@link ResponseWatch}): a data frame is passed on less
 * a tail that could begin the value, and that tail goes on with the message's next frame, or with
 * its last; a control frame (ping, pong, close) is looked at whole. Only that tail is ever held, so
 * frames flow as they come. A frame that holds the value is not passed on: {@code carried} cuts the
 * session, and nothing more read from the upstream is passed on.
 */
final class FrameWatch extends ChannelInboundHandlerAdapter {
    private final ResponseWatch watch;
    private final Runnable carried;
    private boolean cut;

    FrameWatch(ResponseWatch watch, Runnable carried) {
        this.watch = watch;
        this.carried = carried;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (cut) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame;
        byte[] payload = ByteBufUtil.getBytes(frame.content());
        byte[] now = data ? watch.next(payload) : watch.seenIn(payload) ? null : payload;
        if (now == null) {
            frame.release();
            cut = true;
            carried.run();
            return;
        }
        if (!data) {
            ctx.fireChannelRead(frame);
            return;
        }
        // a message ends whole: what was held back goes with its last frame
        byte[] rest = frame.isFinalFragment() ? watch.rest() : new byte[0];
        WebSocketFrame passed = frame.replace(Unpooled.wrappedBuffer(now, rest));
        frame.release();
        ctx.fireChannelRead(passed);
    }
}
