package dev.claudebottle.bundle.spend;

import static dev.claudebottle.bundle.spend.MessageShapes.MODEL;
import static dev.claudebottle.bundle.spend.MessageShapes.inRandomChunks;
import static dev.claudebottle.bundle.spend.MessageShapes.messageBody;
import static dev.claudebottle.bundle.spend.MessageShapes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The usage of a Message sent whole is read however the body is cut, from its top-level fields only. */
class MessageBodyMeterTest {
    private static final String USAGE = "{\"input_tokens\":2095,\"cache_creation_input_tokens\":1200,"
            + "\"cache_read_input_tokens\":300,\"cache_creation\":{\"ephemeral_5m_input_tokens\":200,"
            + "\"ephemeral_1h_input_tokens\":1000},\"output_tokens\":503,\"service_tier\":\"standard\"}";
    private static final Usage READ = new Usage(MODEL, 2095, 503, 1200, 300, 1000);

    private static Optional<Usage> meter(String body) {
        MessageBodyMeter meter = new MessageBodyMeter();
        meter.feed(utf8(body));
        return meter.finish();
    }

    @Test
    void aWholeBodyGivesItsTopLevelUsageNotAToolInputsLookalike() {
        assertThat(meter(messageBody("Hi! My name is Claude.", USAGE))).contains(READ);
    }

    @Test
    void aBodyCutInTwoAtEveryByteGivesTheSameUsage() {
        byte[] body = utf8(messageBody("Wörld 🙂 \\\"quoted\\\" \\u00e9 " + "text ".repeat(200), USAGE));
        for (int cut = 0; cut <= body.length; cut++) {
            MessageBodyMeter meter = new MessageBodyMeter();
            meter.feed(Arrays.copyOfRange(body, 0, cut));
            meter.feed(Arrays.copyOfRange(body, cut, body.length));

            assertThat(meter.finish()).as("cut at %d", cut).contains(READ);
        }
    }

    @Test
    void aLargeTextBeforeTheUsageIsReadThroughInRandomChunksWithoutReachingTheParser() {
        byte[] body = utf8(messageBody("ünïcödé text \\n ".repeat(400_000), USAGE));
        MessageBodyMeter arrays = new MessageBodyMeter();
        inRandomChunks(body, 20_000, 1, arrays::feed);
        MessageBodyMeter buffers = new MessageBodyMeter();
        inRandomChunks(body, 20_000, 2, chunk -> {
            ByteBuf buffer = Unpooled.wrappedBuffer(new byte[3], chunk).skipBytes(3);
            buffers.feed(buffer);
            assertThat(buffer.readableBytes()).isEqualTo(chunk.length);
        });

        assertThat(body.length).isGreaterThan(7_000_000);
        assertThat(arrays.finish()).contains(READ);
        assertThat(buffers.finish()).contains(READ);
        assertThat(arrays.parsedBytes()).isLessThan(MessageBodyMeter.STRING_CAP + 1_024);
    }

    @Test
    void aBodyWithoutTheSplitCountsAllCacheWritesAsFiveMinuteOnes() {
        Usage usage = meter("{\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2,"
                + "\"cache_creation_input_tokens\":30,\"cache_read_input_tokens\":4}}").orElseThrow();

        assertThat(usage).isEqualTo(Usage.of("claude-haiku-4-5", 1, 2, 30, 4));
        assertThat(usage.cacheCreation5mTokens()).isEqualTo(30);
    }

    @Test
    void anErrorBodyGivesNoUsage() {
        assertThat(meter("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"},"
                + "\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}")).isEmpty();
        assertThat(meter("{\"usage\":{\"input_tokens\":5},\"type\":\"error\"}")).isEmpty();
    }

    @Test
    void aBodyWithoutUsageOrNotAnObjectGivesNone() {
        assertThat(meter("{\"model\":\"" + MODEL + "\",\"content\":[]}")).isEmpty();
        assertThat(meter("[{\"usage\":{\"input_tokens\":5}}]")).isEmpty();
        assertThat(meter("42")).isEmpty();
        assertThat(meter("")).isEmpty();
    }

    @Test
    void aBodyCutShortGivesTheCountsWholeBeforeTheCutAndNoPartOfANumber() {
        String body = messageBody("text", "{\"input_tokens\":2095,\"output_tokens\":503}");
        String cut = body.substring(0, body.indexOf("503") + 2);

        assertThat(meter(cut)).contains(Usage.of(MODEL, 2095, 0, 0, 0));
        assertThat(meter(body.substring(0, body.indexOf("\"usage\"")))).isEmpty();
    }

    @Test
    void whatFollowsTheMessageIsNotRead() {
        assertThat(meter(messageBody("text", USAGE) + " {\"usage\":{\"input_tokens\":1}}")).contains(READ);
    }

    @Test
    void aBrokenBodyGivesWhatWasReadBeforeTheBreak() {
        assertThat(meter("{\"model\":\"" + MODEL + "\",\"usage\":{\"input_tokens\":5,,\"output_tokens\":3}}"))
                .contains(Usage.of(MODEL, 5, 0, 0, 0));
    }

    @Test
    void countsThatAreNotCountsAreLeftOut() {
        assertThat(meter("{\"model\":\"" + MODEL + "\",\"usage\":{\"input_tokens\":-5,\"output_tokens\":3,\"output_tokens\":2.5,"
                + "\"cache_read_input_tokens\":\"9\",\"cache_creation_input_tokens\":123456789012345678901234567890,"
                + "\"cache_creation\":{\"ephemeral_1h_input_tokens\":null}},\"model\":7}"))
                .contains(Usage.of(MODEL, 0, 3, 0, 0));
    }
}
