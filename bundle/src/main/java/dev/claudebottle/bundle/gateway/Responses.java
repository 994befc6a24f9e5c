package dev.claudebottle.bundle.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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

    /** The header that carries a refusal's code, for a client that reads it rather than the text. */
    static final String REASON_HEADER = "X-Claude-Bottle-Reason";

    /** Sends a status with a one-line body; closes the connection when asked. */
    static void send(Channel channel, HttpResponseStatus status, String text, boolean close) {
        send(channel, status, text, Refusal.NONE, close);
    }

    /** Sends a status with a JSON body; closes the connection when asked. */
    static void json(Channel channel, HttpResponseStatus status, String json, boolean close) {
        json(channel, status, json, Refusal.NONE, close);
    }

    /**
     * Sends a status with a JSON body and, for a refusal, its code in {@link #REASON_HEADER} and
     * {@code x-should-retry: false}, which API clients honour: a refusal retried is refused again.
     */
    static void json(Channel channel, HttpResponseStatus status, String json, Refusal refusal, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        if (refusal != Refusal.NONE) {
            response.headers().set(REASON_HEADER, refusal.code());
            response.headers().set("x-should-retry", "false");
        }
        finish(channel, response, close);
    }

    /** Sends a status with a one-line body and the refusal's code in {@link #REASON_HEADER}. */
    static void send(Channel channel, HttpResponseStatus status, String text, Refusal refusal, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer("claude-bottle gateway: " + text + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (refusal != Refusal.NONE) {
            response.headers().set(REASON_HEADER, refusal.code());
        }
        finish(channel, response, close);
    }

    private static void finish(Channel channel, FullHttpResponse response, boolean close) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set("X-Claude-Bottle", "gateway");
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(response);
        }
    }

    /** The refusal's body: what was blocked, by which rule, and what the agent may do. */
    static String blocked(Decision d) {
        return "blocked: " + d.reason() + " (rule: " + d.rule() + ")"
                + (d.refusal() == Refusal.NONE ? "" : ". What you can do: " + d.refusal().advice() + ".");
    }

    /** What the 400 for a request that failed to decode says. */
    static String malformed(Throwable cause) {
        return cause instanceof GuestHttpCodec.AmbiguousFraming framing ? "ambiguous framing: " + framing.getMessage()
                : "malformed request";
    }
}
