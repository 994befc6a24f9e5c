package dev.claudebottle.bundle.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The gateway's own answers: short text bodies that say what happened and why. */
final class Responses {
    private Responses() {
    }

    /** Sends a status with a one-line body; closes the connection when asked. */
    static void send(Channel channel, HttpResponseStatus status, String text, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer("claude-bottle gateway: " + text + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set("X-Claude-Bottle", "gateway");
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(response);
        }
    }

    /** The 403 body: what was blocked and by which rule. */
    static String blocked(Decision d) {
        return "blocked: " + d.reason() + " (rule: " + d.rule() + ")";
    }

    /** What the 400 for a request that failed to decode says. */
    static String malformed(Throwable cause) {
        return cause instanceof GuestHttpCodec.AmbiguousFraming framing ? "ambiguous framing: " + framing.getMessage()
                : "malformed request";
    }
}
