package dev.claudebottle.bundle.spend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * What a Messages API object said about usage, read token by token as a parser meets them: the
 * model, the type and each count, each only if it was there, so a later object (a stream's
 * {@code message_delta}) replaces the counts it gives and leaves the others. It reads a Message's
 * own fields, and in an event also those of the Message under {@code message}.
 */
final class UsageFields {
    /** Shared, as a factory is thread-safe; field names are not kept, so a body of many names costs nothing. */
    static final JsonFactory JSON = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    private static final int MODEL_CAP = 256;
    /** How deep the deepest field read sits: message.usage.cache_creation.ephemeral_1h_input_tokens. */
    private static final int DEEPEST = 4;
    private static final String UNDER_MESSAGE = "message/";

    private final boolean withinMessage;
    private String model;
    private String type;
    private Long input;
    private Long output;
    private Long cacheCreation;
    private Long cacheRead;
    private Long cacheWrite5m;
    private Long cacheWrite1h;

    private UsageFields(boolean withinMessage) {
        this.withinMessage = withinMessage;
    }

    /** The fields of a Message body: its top-level {@code model} and {@code usage}. */
    static UsageFields ofMessage() {
        return new UsageFields(false);
    }

    /** The fields of a stream event: its own {@code usage}, or those of the Message it starts. */
    static UsageFields ofEvent() {
        return new UsageFields(true);
    }

    /** The fields of one event's whole data; what was read before any break in it. */
    static UsageFields ofEvent(byte[] data, int length) {
        UsageFields fields = ofEvent();
        try (JsonParser parser = JSON.createParser(data, 0, length)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                fields.read(token, parser);
            }
        } catch (IOException broken) {
            // what was read before the break stands, as for a body cut short
        }
        return fields;
    }

    /**
     * How many characters of text, tool input and thinking one {@code content_block_delta} event's
     * data carries ({@code delta.text}, {@code delta.partial_json}, {@code delta.thinking}).
     */
    static long streamedText(byte[] data, int length) {
        long chars = 0;
        try (JsonParser parser = JSON.createParser(data, 0, length)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    String path = path(parser.getParsingContext());
                    if ("delta/text".equals(path) || "delta/partial_json".equals(path)
                            || "delta/thinking".equals(path)) {
                        chars += parser.getTextLength();
                    }
                }
            }
        } catch (IOException broken) {
            // what was read before the break counts
        }
        return chars;
    }

    /** Takes in the token {@code parser} is on. */
    void read(JsonToken token, JsonParser parser) throws IOException {
        if (!token.isScalarValue()) {
            return;
        }
        String path = path(parser.getParsingContext());
        if (path == null) {
            return;
        }
        if (path.equals("type")) {
            type = token == JsonToken.VALUE_STRING ? parser.getText() : type;
            return;
        }
        if (withinMessage && path.startsWith(UNDER_MESSAGE)) {
            path = path.substring(UNDER_MESSAGE.length());
        }
        switch (path) {
            case "model" -> model = token == JsonToken.VALUE_STRING ? capped(parser.getText()) : model;
            case "usage/input_tokens" -> input = count(token, parser, input);
            case "usage/output_tokens" -> output = count(token, parser, output);
            case "usage/cache_creation_input_tokens" -> cacheCreation = count(token, parser, cacheCreation);
            case "usage/cache_read_input_tokens" -> cacheRead = count(token, parser, cacheRead);
            case "usage/cache_creation/ephemeral_5m_input_tokens" -> cacheWrite5m = count(token, parser, cacheWrite5m);
            case "usage/cache_creation/ephemeral_1h_input_tokens" -> cacheWrite1h = count(token, parser, cacheWrite1h);
            default -> {
                // not a field usage is read from
            }
        }
    }

    /** The object's field names down to the value, joined by '/'; null for a value in an array or too deep to matter. */
    private static String path(JsonStreamContext context) {
        if (context.getNestingDepth() > DEEPEST) {
            return null;
        }
        String path = null;
        for (JsonStreamContext at = context; !at.inRoot(); at = at.getParent()) {
            if (!at.inObject() || at.getCurrentName() == null) {
                return null;
            }
            path = path == null ? at.getCurrentName() : at.getCurrentName() + "/" + path;
        }
        return path;
    }

    /** A count, or {@code was} when the value is not one (null, negative, fractional or past a long). */
    private static Long count(JsonToken token, JsonParser parser, Long was) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return was;
        }
        long value = parser.getLongValue();
        return value < 0 ? was : Long.valueOf(value);
    }

    private static String capped(String model) {
        return model.length() > MODEL_CAP ? model.substring(0, MODEL_CAP) : model;
    }

    /** The object's top-level type, if it had one. */
    Optional<String> type() {
        return Optional.ofNullable(type);
    }

    /** Takes {@code later}'s model and counts where it has them. */
    void replaceWith(UsageFields later) {
        model = later.model != null ? later.model : model;
        input = later.input != null ? later.input : input;
        output = later.output != null ? later.output : output;
        cacheCreation = later.cacheCreation != null ? later.cacheCreation : cacheCreation;
        cacheRead = later.cacheRead != null ? later.cacheRead : cacheRead;
        cacheWrite5m = later.cacheWrite5m != null ? later.cacheWrite5m : cacheWrite5m;
        cacheWrite1h = later.cacheWrite1h != null ? later.cacheWrite1h : cacheWrite1h;
    }

    /** The usage read, if any count was read and the object is not an error. */
    Optional<Usage> usage() {
        if ("error".equals(type) || (input == null && output == null && cacheCreation == null && cacheRead == null
                && cacheWrite5m == null && cacheWrite1h == null)) {
            return Optional.empty();
        }
        long oneHour = orZero(cacheWrite1h);
        // the total is trusted unless the split says more was written, and what the split leaves out was written for 5 minutes
        long creation = Math.max(orZero(cacheCreation), Counts.sum(orZero(cacheWrite5m), oneHour));
        return Optional.of(new Usage(model == null ? Usage.UNKNOWN_MODEL : model, orZero(input), orZero(output), creation,
                orZero(cacheRead), oneHour));
    }

    private static long orZero(Long count) {
        return count == null ? 0 : count;
    }
}
