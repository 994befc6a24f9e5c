package dev.claudebottle.bundle.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Relays WebSocket frames one way, with backpressure. Data frames pass a check first (for the
 * guest's frames: the tripwire and DLP, as bodies do; the upstream's are watched before they get
 * here, by {@link FrameWatch}); a refused frame is dropped and ends the session with close code
 * 1008 to the guest. Closing one side closes the other.
 */
final class WebSocketRelay extends PeerRelay {
    /** What a data frame's content is checked against. */
    @FunctionalInterface
    interface Check {
        /** Nothing is refused. */
        Check NONE = text -> Optional.empty();

        /** Why the frame is refused, if it is; the check records its own audit line. */
        Optional<String> refusal(String text);
    }

    private final Check check;

    WebSocketRelay(Channel peer, Check check) {
        super(peer);
        this.check = check;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            String text = frame.content().toString(frame instanceof TextWebSocketFrame ? StandardCharsets.UTF_8
                    : StandardCharsets.ISO_8859_1);
            Optional<String> refusal = check.refusal(text);
            if (refusal.isPresent()) {
                frame.release();
                refuse(ctx.channel(), peer, refusal.get());
                return;
            }
        }
        forward(ctx, frame);
    }

    /** Ends a session for a refused frame: the guest is told why, with close code 1008, and the upstream is closed. */
    static void refuse(Channel guest, Channel upstream, String reason) {
        upstream.close();
        guest.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION,
                fitted("claude-bottle gateway: " + reason))).addListener(ChannelFutureListener.CLOSE);
    }

    /** The reason cut to the 123 bytes a close frame has room for (a longer one is a protocol error to the guest). */
    private static String fitted(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        int end = 123;
        while ((bytes[end] & 0xc0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
