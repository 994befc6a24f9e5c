package dev.claudebottle.bundle.spend;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the usage off a Message sent whole as JSON, with Jackson's non-blocking parser fed each
 * chunk as it passes: only the top-level {@code model} and {@code usage} are taken in, and every
 * string is cut short before the parser sees it ({@link CappedStrings}), so what is held stays
 * small however long the Message's text. An error body has no usage.
 */
final class MessageBodyMeter implements UsageMeter {
    /** The most bytes of one string the parser is given: a model id is far shorter. */
    static final int STRING_CAP = 4 * 1024;
    /** Chunks are read through a buffer of this size, which the strings are cut in. */
    private static final int SLICE = 8 * 1024;

    private final byte[] slice = new byte[SLICE];
    private final CappedStrings strings = new CappedStrings(STRING_CAP);
    private final UsageFields seen = UsageFields.ofMessage();
    /** Null once the Message ended, the body broke or the meter finished: nothing more is read. */
    private JsonParser parser;
    private long parsedBytes;

    MessageBodyMeter() {
        try {
            parser = UsageFields.JSON.createNonBlockingByteArrayParser();
        } catch (IOException unexpected) {
            // a factory for JSON always makes one; without it the body is not metered
            parser = null;
        }
    }

    @Override
    public void feed(ByteBuf chunk) {
        int end = chunk.writerIndex();
        for (int at = chunk.readerIndex(); at < end && parser != null; at += SLICE) {
            int length = Math.min(SLICE, end - at);
            chunk.getBytes(at, slice, 0, length);
            read(length);
        }
    }

    @Override
    public void feed(byte[] chunk) {
        for (int at = 0; at < chunk.length && parser != null; at += SLICE) {
            int length = Math.min(SLICE, chunk.length - at);
            System.arraycopy(chunk, at, slice, 0, length);
            read(length);
        }
    }

    @Override
    public Optional<Usage> finish() {
        // the input is not ended for the parser: a number cut off at the end would be read as a smaller one
        stop();
        return seen.usage();
    }

    /** How many bytes the parser was given, to show long strings never reach it. */
    long parsedBytes() {
        return parsedBytes;
    }

    private void read(int length) {
        int kept = strings.keep(slice, 0, length);
        if (kept == 0) {
            return;
        }
        parsedBytes += kept;
        try {
            ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(slice, 0, kept);
            for (JsonToken token = parser.nextToken(); token != JsonToken.NOT_AVAILABLE; token = parser.nextToken()) {
                if (token == null) {
                    stop();
                    return;
                }
                seen.read(token, parser);
                if (parser.getParsingContext().inRoot()) {
                    // the Message is whole; whatever follows it is not part of it
                    stop();
                    return;
                }
            }
        } catch (IOException broken) {
            // what was read before the break stands
            stop();
        }
    }

    private void stop() {
        if (parser == null) {
            return;
        }
        try {
            parser.close();
        } catch (IOException ignored) {
            // nothing is left to read from a parser being let go
        }
        parser = null;
    }
}
