package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.Encodings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The watch passes on every byte of a stream without the value, in order, and none of one with it. */
class ResponseWatchTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code stream} in parts cut at random; what was passed on, or null once the watch cut it. */
    private static String feed(String stream, long seed) {
        ResponseWatch watch = new ResponseWatch(REAL_KEY);
        Random random = new Random(seed);
        byte[] all = bytes(stream);
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        for (int at = 0; at < all.length; ) {
            int to = Math.min(all.length, at + 1 + random.nextInt(12));
            byte[] now = watch.next(Arrays.copyOfRange(all, at, to));
            if (now == null) {
                return "cut after " + passed.toString(StandardCharsets.ISO_8859_1);
            }
            passed.writeBytes(now);
            at = to;
        }
        passed.writeBytes(watch.rest());
        return passed.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aStreamWithoutTheValueIsPassedOnWholeAndInOrderHoweverItIsCut() {
        String almost = "data: " + REAL_KEY.substring(0, 20) + " and " + Encodings.base64("k" + REAL_KEY).substring(0, 30)
                + " and " + java.util.HexFormat.of().formatHex(bytes(REAL_KEY)).substring(0, 50) + " end "
                + REAL_KEY.substring(0, 5);
        for (long seed = 0; seed < 200; seed++) {
            assertThat(feed(almost, seed)).as("seed %d", seed).isEqualTo(almost);
        }
    }

    @Test
    void noPartOfTheValueOrOfAFormOfItIsPassedOnBeforeTheWatchCutsTheStream() {
        for (String hidden : new String[] {REAL_KEY, Encodings.base64("xy: " + REAL_KEY),
                Encodings.ALL.get("base64 url-safe without padding").apply(REAL_KEY),
                java.util.HexFormat.of().withUpperCase().formatHex(bytes(REAL_KEY))}) {
            for (long seed = 0; seed < 50; seed++) {
                String seen = feed("event: x\n\ndata: " + hidden + "\n\n", seed);

                assertThat(seen).as("seed %d", seed).startsWith("cut after ").doesNotContain(REAL_KEY.substring(0, 8))
                        .doesNotContain(hidden.substring(8, 24));
            }
        }
    }

    @Test
    void aValueBegunAtTheEndOfOneMessageIsSeenWhenTheNextGoesOnWithIt() {
        ResponseWatch watch = new ResponseWatch(REAL_KEY);
        byte[] first = watch.next(bytes("key: " + REAL_KEY.substring(0, 10)));
        byte[] held = watch.rest();

        assertThat(new String(first, StandardCharsets.ISO_8859_1) + new String(held, StandardCharsets.ISO_8859_1))
                .isEqualTo("key: " + REAL_KEY.substring(0, 10));
        assertThat(watch.next(bytes(REAL_KEY.substring(10)))).isNull();
    }

    @Test
    void controlTextIsLookedAtWhole() {
        ResponseWatch watch = new ResponseWatch(REAL_KEY);

        assertThat(watch.seenIn(bytes("ping " + Encodings.base64(REAL_KEY)))).isTrue();
        assertThat(watch.seenIn("X-Seen: " + java.util.HexFormat.of().formatHex(bytes(REAL_KEY)))).isTrue();
        assertThat(watch.seenIn(bytes("ping " + REAL_KEY.substring(1)))).isFalse();
    }

    @Test
    void aWatchForABearerValueCutsAStreamCarryingItsBareTokenOrAFormOfIt() {
        for (String hidden : new String[] {REAL_TOKEN, Encodings.base64(REAL_TOKEN),
                java.util.HexFormat.of().formatHex(bytes(REAL_TOKEN))}) {
            ResponseWatch watch = new ResponseWatch("Bearer " + REAL_TOKEN);
            byte[] passed = watch.next(bytes("{\"accessToken\":\"" + hidden.substring(0, 9)));

            assertThat(watch.next(bytes(hidden.substring(9) + "\"}"))).as(hidden).isNull();
            assertThat(new String(passed, StandardCharsets.ISO_8859_1)).doesNotContain(hidden.substring(0, 9));
            assertThat(new ResponseWatch("Bearer " + REAL_TOKEN).seenIn("x-token: " + hidden)).isTrue();
        }
    }
}
