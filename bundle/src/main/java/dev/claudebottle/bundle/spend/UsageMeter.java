package dev.claudebottle.bundle.spend;

import io.netty.buffer.ByteBuf;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the usage off one Messages API response body as it passes, chunk by chunk, in the order
 * the chunks are relayed: a stream of server-sent events ({@code text/event-stream}) or one
 * Message object ({@code application/json}). It never holds a chunk, delays one or keeps more
 * than a bounded part of the body, and no input makes it throw: a broken body gives what was read
 * before the break. It reads the body as sent, so the response must be in identity coding (the
 * gateway asks for it on every request it injects into). One meter serves one response on one
 * thread.
 */
public sealed interface UsageMeter permits EventStreamMeter, MessageBodyMeter, UnmeteredBody {

    /**
     * The meter for a body of {@code contentType} (the response's Content-Type header, or null):
     * one that finds no usage for any type but an event stream or JSON.
     */
    static UsageMeter forContentType(String contentType) {
        if (contentType == null) {
            return UnmeteredBody.INSTANCE;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip()
                .toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case "text/event-stream" -> new EventStreamMeter();
            case "application/json" -> new MessageBodyMeter();
            default -> UnmeteredBody.INSTANCE;
        };
    }

    /** Reads the next chunk's readable bytes, leaving its indices and reference count alone. */
    void feed(ByteBuf chunk);

    /** Reads the next chunk. */
    void feed(byte[] chunk);

    /**
     * The usage the body reported, once it has ended (or was cut off): empty when it reported
     * none, as an error does. Chunks fed after this are ignored.
     */
    Optional<Usage> finish();

    /**
     * Whether the output count {@link #finish} gave was estimated from the text streamed, because
     * the stream ended before the API reported its own (a connection cut mid-answer).
     */
    default boolean estimated() {
        return false;
    }
}
