package dev.claudebottle.bundle.spend;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/** Messages API responses in the shapes the API sends, and ways of cutting them into chunks. */
final class MessageShapes {
    static final String MODEL = "claude-sonnet-4-5-20250929";

    private MessageShapes() {
    }

    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    static String messageStart(String usage) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + MODEL + "\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usage + "}}");
    }

    static String messageStart(long input, long cacheCreation, long cacheRead) {
        return messageStart("{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheCreation
                + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":1}");
    }

    static String blockStart() {
        return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    }

    static String textDelta(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
    }

    static String blockStop() {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    }

    static String ping() {
        return event("ping", "{\"type\": \"ping\"}");
    }

    static String messageDelta(String usage) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":" + usage + "}");
    }

    static String messageDelta(long output) {
        return messageDelta("{\"output_tokens\":" + output + "}");
    }

    static String messageStop() {
        return event("message_stop", "{\"type\":\"message_stop\"}");
    }

    static String error() {
        return event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    }

    /** A whole short stream: 25 in, 15 out, with text that is not ASCII. */
    static String shortStream() {
        return messageStart(25, 0, 0) + blockStart() + ping() + textDelta("Hello, ") + textDelta("wörld 🙂 — ")
                + textDelta("\\\"quoted\\\"\\n") + blockStop() + messageDelta(15) + messageStop();
    }

    /** A whole Message body as the API sends it unstreamed, with {@code text} as its content. */
    static String messageBody(String text, String usage) {
        return "{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + MODEL
                + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"},{\"type\":\"tool_use\",\"id\":\"toolu_01\","
                + "\"name\":\"get_weather\",\"input\":{\"usage\":{\"input_tokens\":999999},\"model\":\"not-this\"}}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":" + usage + "}";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds {@code body} in chunks of 1 to {@code largest} bytes cut at random. */
    static void inRandomChunks(byte[] body, int largest, long seed, Consumer<byte[]> feed) {
        Random random = new Random(seed);
        for (int at = 0; at < body.length; ) {
            int to = Math.min(body.length, at + 1 + random.nextInt(largest));
            feed.accept(Arrays.copyOfRange(body, at, to));
            at = to;
        }
    }
}
