package dev.claudebottle.bundle.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Relays WebSocket frames one way, with backpressure. Data frames pass a check first (for the
 * guest's frames: the tripwire and DLP, as bodies do); a refused frame is dropped and ends the
 * session with close code 1008 to the guest. Closing one side closes the other.
 */
final class WebSocketRelay extends ChannelInboundHandlerAdapter {
    /** What a data frame's content is checked against. */
    @FunctionalInterface
    interface Check {
        /** Nothing is refused. */
        Check NONE = text -> Optional.empty();

        /** Why the frame is refused, if it is; the check records its own audit line. */
        Optional<String> refusal(String text);
    }

    private final Channel peer;
    private final Check check;

    WebSocketRelay(Channel peer, Check check) {
        this.peer = peer;
        this.check = check;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            ByteBuf data = frame.content();
            String text = data.toString(frame instanceof TextWebSocketFrame ? StandardCharsets.UTF_8
                    : StandardCharsets.ISO_8859_1);
            Optional<String> refusal = check.refusal(text);
            if (refusal.isPresent()) {
                frame.release();
                peer.close();
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION,
                        "claude-bottle gateway: " + refusal.get())).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        peer.write(frame).addListener((ChannelFutureListener) f -> {
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
