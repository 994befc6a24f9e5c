package dev.claudebottle.bundle.spend;

import static dev.claudebottle.bundle.spend.MessageShapes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Long strings are cut where a character starts, so what is kept is short and still JSON. */
class CappedStringsTest {
    private static byte[] capped(byte[] json, int cap, int chunk) {
        CappedStrings strings = new CappedStrings(cap);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (int at = 0; at < json.length; at += chunk) {
            byte[] part = Arrays.copyOfRange(json, at, Math.min(json.length, at + chunk));
            kept.write(part, 0, strings.keep(part, 0, part.length));
        }
        return kept.toByteArray();
    }

    @Test
    void aLongStringIsCutToAboutTheCapAndShortOnesAndNumbersPassWhole() throws Exception {
        byte[] json = utf8("{\"text\":\"" + "a".repeat(1_000_000) + "\",\"model\":\"claude-opus-4-5\",\"n\":12345}");

        byte[] kept = capped(json, 16, 1_000);
        JsonNode read = new ObjectMapper().readTree(kept);

        assertThat(kept.length).isLessThan(80);
        assertThat(read.get("text").asText()).isEqualTo("a".repeat(16));
        assertThat(read.get("model").asText()).isEqualTo("claude-opus-4-5");
        assertThat(read.get("n").asLong()).isEqualTo(12345);
    }

    @Test
    void noCutFallsInsideAUtf8SequenceOrAnEscapeWhereverTheCapFalls() throws Exception {
        String text = "é🙂\\\"\\\\\\u00e9\\uD83D\\uDE00x\\n".repeat(20);
        byte[] json = utf8("[\"" + text + "\",\"after\"]");
        String whole = new ObjectMapper().readTree(json).get(0).asText();
        for (int cap = 0; cap < 200; cap++) {
            for (int chunk : new int[] {1, 3, 1_000}) {
                JsonNode read = new ObjectMapper().readTree(capped(json, cap, chunk));

                assertThat(whole).as("cap %d", cap).startsWith(read.get(0).asText());
                assertThat(read).hasSize(2);
                assertThat(read.get(1).asText()).isEqualTo("after".substring(0, Math.min(cap, 5)));
            }
        }
    }

    @Test
    void anEscapedQuoteDoesNotEndAStringBeingDropped() throws Exception {
        byte[] json = utf8("{\"a\":\"" + "\\\"".repeat(100) + "\",\"b\":1}");

        JsonNode read = new ObjectMapper().readTree(new String(capped(json, 5, 7), StandardCharsets.UTF_8));

        assertThat(read.get("b").asInt()).isEqualTo(1);
        assertThat(read.get("a").asText()).isEqualTo("\"\"\"");
    }
}
