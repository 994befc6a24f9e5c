package dev.claudebottle.bundle.spend;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the usage off a stream of server-sent events, byte by byte, as the chunks pass: the
 * {@code message_start} event gives the model and the first counts, each {@code message_delta}
 * the counts so far (they are cumulative, so the last one given of each count wins). Only those
 * two events' data is kept, and only up to {@link #DATA_CAP} bytes of it: an event any longer is
 * skipped, and the data of every other event is not kept at all; the text deltas' is only counted.
 * A stream that ends before a {@code message_delta} was read (cut mid-answer, or one too long to
 * keep) is charged for its output as the text it streamed, about {@link #CHARS_PER_TOKEN}
 * characters a token, when that is more than {@code message_start} said: never for the one token
 * it says.
 */
final class EventStreamMeter implements UsageMeter {
    /** The most data of one event kept; a message_start is a few hundred bytes. */
    static final int DATA_CAP = 64 * 1024;
    /** Field names longer than the longest one read ("event") are kept only as "too long". */
    private static final int FIELD_CAP = 8;
    /** Event names longer than the longest one read ("message_start") are kept only as "too long". */
    private static final int EVENT_CAP = 32;
    /** A data buffer larger than this is let go once its event is read, so an idle stream holds little. */
    private static final int KEPT_BUFFER = 4 * 1024;
    private static final byte[] DATA = ascii("data");
    private static final byte[] EVENT = ascii("event");
    private static final byte[] MESSAGE_START = ascii("message_start");
    private static final byte[] MESSAGE_DELTA = ascii("message_delta");
    private static final byte[] CONTENT_BLOCK_DELTA = ascii("content_block_delta");
    /** Characters of streamed text taken for a token when the API did not say: fewer than most text has. */
    static final int CHARS_PER_TOKEN = 3;
    /** The bytes of a text delta's data that are not its text: {"type":"content_block_delta",…,"text":""}}. */
    private static final int DELTA_FRAMING = 80;

    /** Which event an event's name says it is. */
    private enum Kind { MESSAGE_START, MESSAGE_DELTA, CONTENT_DELTA, OTHER, UNNAMED }

    /** Which field a line is. */
    private enum Field { DATA, EVENT, OTHER }

    private final ByteProcessor eachByte = b -> {
        take(b);
        return true;
    };
    private final UsageFields seen = UsageFields.ofEvent();
    private boolean finished;
    /** Whether a message_delta was read: then the output count is the API's own. */
    private boolean deltaRead;
    /** Characters of text, tool input and thinking streamed so far. */
    private long streamedChars;
    private boolean estimated;
    /** Whether the event being read is a text delta, whose data is counted and not kept. */
    private boolean counting;
    private long countedBytes;

    // the line being read
    private final byte[] fieldName = new byte[FIELD_CAP];
    private int fieldNameLength;
    private boolean inValue;
    private boolean valueBegun;
    private Field field;
    private boolean afterCr;

    // the event being read
    private final byte[] eventName = new byte[EVENT_CAP];
    private int eventNameLength;
    private byte[] data = new byte[0];
    private int dataLength;
    private boolean hasData;
    private boolean keeping;
    /** Whether some of the event's data was not kept, so it cannot be read. */
    private boolean dataLeftOut;

    @Override
    public void feed(ByteBuf chunk) {
        if (!finished) {
            chunk.forEachByte(chunk.readerIndex(), chunk.readableBytes(), eachByte);
        }
    }

    @Override
    public void feed(byte[] chunk) {
        if (!finished) {
            for (byte b : chunk) {
                take(b);
            }
        }
    }

    @Override
    public Optional<Usage> finish() {
        if (!finished) {
            finished = true;
            // an event whose last line ended is whole though the blank line after it never came; a cut line is not
            if (!inValue && fieldNameLength == 0) {
                dispatch();
            }
            data = new byte[0];
        }
        Optional<Usage> usage = seen.usage();
        long streamed = Counts.sum(streamedChars, CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
        if (usage.isEmpty() || deltaRead || streamed <= usage.get().outputTokens()) {
            return usage;
        }
        estimated = true;
        Usage u = usage.get();
        return Optional.of(new Usage(u.model(), u.inputTokens(), streamed, u.cacheCreationTokens(),
                u.cacheReadTokens(), u.cacheCreation1hTokens()));
    }

    @Override
    public boolean estimated() {
        return estimated;
    }

    /** The bytes this meter holds for the event being read, to show it stays bounded. */
    int heldBytes() {
        return data.length + fieldName.length + eventName.length;
    }

    private void take(byte b) {
        if (afterCr) {
            afterCr = false;
            if (b == '\n') {
                return;
            }
        }
        if (b == '\n' || b == '\r') {
            afterCr = b == '\r';
            endLine();
            return;
        }
        if (!inValue) {
            if (b == ':') {
                beginValue();
            } else if (fieldNameLength < FIELD_CAP) {
                fieldName[fieldNameLength++] = b;
            } else {
                fieldNameLength = FIELD_CAP + 1;
            }
            return;
        }
        if (!valueBegun) {
            valueBegun = true;
            if (b == ' ') {
                return;
            }
        }
        switch (field) {
            case DATA -> keepData(b);
            case EVENT -> keepEventName(b);
            case OTHER -> {
                // an id, a retry or a comment: nothing usage is read from
            }
        }
    }

    private void endLine() {
        if (!inValue) {
            if (fieldNameLength == 0) {
                dispatch();
                return;
            }
            // a line without a colon is a field with an empty value
            beginValue();
        }
        inValue = false;
        fieldNameLength = 0;
    }

    private void beginValue() {
        inValue = true;
        valueBegun = false;
        field = named(DATA) ? Field.DATA : named(EVENT) ? Field.EVENT : Field.OTHER;
        if (field == Field.EVENT) {
            eventNameLength = 0;
        } else if (field == Field.DATA) {
            Kind kind = kind();
            keeping = kind == Kind.MESSAGE_START || kind == Kind.MESSAGE_DELTA || kind == Kind.UNNAMED;
            counting = kind == Kind.CONTENT_DELTA;
            if (hasData) {
                keepData((byte) '\n');
            }
            hasData = true;
        }
    }

    private boolean named(byte[] name) {
        return fieldNameLength == name.length && Arrays.equals(fieldName, 0, fieldNameLength, name, 0, name.length);
    }

    private void keepData(byte b) {
        if (counting) {
            countedBytes++;
        }
        if (!keeping || dataLength >= DATA_CAP) {
            dataLeftOut = true;
            return;
        }
        if (dataLength == data.length) {
            data = Arrays.copyOf(data, Math.min(DATA_CAP, Math.max(256, data.length * 2)));
        }
        data[dataLength++] = b;
    }

    private void keepEventName(byte b) {
        if (eventNameLength < EVENT_CAP) {
            eventName[eventNameLength++] = b;
        } else {
            eventNameLength = EVENT_CAP + 1;
        }
    }

    private Kind kind() {
        if (eventNameLength == 0) {
            return Kind.UNNAMED;
        }
        if (isEvent(MESSAGE_START)) {
            return Kind.MESSAGE_START;
        }
        if (isEvent(CONTENT_BLOCK_DELTA)) {
            return Kind.CONTENT_DELTA;
        }
        return isEvent(MESSAGE_DELTA) ? Kind.MESSAGE_DELTA : Kind.OTHER;
    }

    private boolean isEvent(byte[] name) {
        return eventNameLength == name.length && Arrays.equals(eventName, 0, eventNameLength, name, 0, name.length);
    }

    private void dispatch() {
        Kind kind = kind();
        if (kind == Kind.CONTENT_DELTA) {
            // every character of the delta's text is at least one byte, escapes and all
            streamedChars = Counts.sum(streamedChars, Math.max(0, countedBytes - DELTA_FRAMING));
        } else if (hasData && !dataLeftOut && kind != Kind.OTHER) {
            UsageFields fields = UsageFields.ofEvent(data, dataLength);
            // an event without a name says what it is in its data's type
            boolean read = kind != Kind.UNNAMED || fields.type().filter(
                    type -> type.equals("message_start") || type.equals("message_delta")).isPresent();
            if (read) {
                seen.replaceWith(fields);
                deltaRead |= kind == Kind.MESSAGE_DELTA || fields.type().filter("message_delta"::equals).isPresent();
            }
            if (kind == Kind.UNNAMED && fields.type().filter("content_block_delta"::equals).isPresent()) {
                streamedChars = Counts.sum(streamedChars, UsageFields.streamedText(data, dataLength));
            }
        }
        eventNameLength = 0;
        dataLength = 0;
        countedBytes = 0;
        counting = false;
        hasData = false;
        dataLeftOut = false;
        if (data.length > KEPT_BUFFER) {
            data = new byte[0];
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
