package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.trust.Encodings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * How {@link WebSocketEcho} sends a value back toward the guest: whole or split over frames and
 * messages, as text, bytes or a control frame, masked (which a server must not do), or encoded;
 * and, for contrast, messages that only look like the value's start.
 */
enum Reflection {
    /** One text message. */
    TEXT {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new TextWebSocketFrame("key: " + key));
        }
    },
    /** One binary message. */
    BINARY {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new BinaryWebSocketFrame(bytes("key: " + key)));
        }
    },
    /** One text message in three frames, the value split across all three, each flushed alone. */
    SPLIT_TEXT {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new TextWebSocketFrame(false, 0, "key: " + key.substring(0, 10)));
            ctx.writeAndFlush(new ContinuationWebSocketFrame(false, 0, key.substring(10, 20)));
            ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, key.substring(20) + " end"));
        }
    },
    /** One binary message in two frames, the value split across them. */
    SPLIT_BINARY {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new BinaryWebSocketFrame(false, 0, bytes("key: " + key.substring(0, 12))));
            ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, bytes(key.substring(12))));
        }
    },
    /** The value's start ends one message, its rest begins the next. */
    ACROSS_MESSAGES {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new TextWebSocketFrame("key: " + key.substring(0, 10)));
            ctx.writeAndFlush(new TextWebSocketFrame(key.substring(10)));
        }
    },
    /** A ping carrying the value (a guest's client answers it with a pong that carries it too). */
    PING {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new PingWebSocketFrame(bytes(key)));
        }
    },
    /** A close frame whose reason is the value. */
    CLOSE {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, key));
        }
    },
    /** One text frame masked, as only a client's frames are: written as raw bytes past the encoder. */
    MASKED {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            byte[] payload = ("key: " + key).getBytes(StandardCharsets.UTF_8);
            byte[] mask = {0x12, 0x34, 0x56, 0x78};
            ByteBuf frame = Unpooled.buffer();
            frame.writeByte(0x81).writeByte(0x80 | payload.length).writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.writeByte(payload[i] ^ mask[i % 4]);
            }
            ctx.writeAndFlush(frame);
        }
    },
    /** One text message with the value base64-encoded. */
    BASE64 {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new TextWebSocketFrame("{\"seen\": \"" + Encodings.base64("x-api-key: " + key) + "\"}"));
        }
    },
    /** Not the value: messages and a fragment that end in its first letters, and go on otherwise. */
    ALMOST {
        @Override
        void send(ChannelHandlerContext ctx, String key) {
            ctx.writeAndFlush(new TextWebSocketFrame("one " + key.substring(0, 6)));
            ctx.writeAndFlush(new TextWebSocketFrame(false, 0, "two " + key.substring(0, 12)));
            ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, "... three"));
            ctx.writeAndFlush(new BinaryWebSocketFrame(bytes("four " + key.substring(0, 8))));
        }
    };

    /** Sends the key back this way. */
    abstract void send(ChannelHandlerContext ctx, String key);

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
