package dev.claudebottle.bundle.spend;

import static dev.claudebottle.bundle.spend.MessageShapes.MODEL;
import static dev.claudebottle.bundle.spend.MessageShapes.blockStart;
import static dev.claudebottle.bundle.spend.MessageShapes.blockStop;
import static dev.claudebottle.bundle.spend.MessageShapes.error;
import static dev.claudebottle.bundle.spend.MessageShapes.event;
import static dev.claudebottle.bundle.spend.MessageShapes.inRandomChunks;
import static dev.claudebottle.bundle.spend.MessageShapes.messageDelta;
import static dev.claudebottle.bundle.spend.MessageShapes.messageStart;
import static dev.claudebottle.bundle.spend.MessageShapes.messageStop;
import static dev.claudebottle.bundle.spend.MessageShapes.ping;
import static dev.claudebottle.bundle.spend.MessageShapes.shortStream;
import static dev.claudebottle.bundle.spend.MessageShapes.textDelta;
import static dev.claudebottle.bundle.spend.MessageShapes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The usage of a stream of events is read however the stream is cut, keeping little of it. */
class EventStreamMeterTest {
    private static final Usage SHORT = Usage.of(MODEL, 25, 15, 0, 0);

    private static Optional<Usage> meter(String stream) {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(stream));
        return meter.finish();
    }

    @Test
    void aShortStreamGivesItsUsageCutInTwoAtEveryByte() {
        byte[] stream = utf8(shortStream());
        for (int cut = 0; cut <= stream.length; cut++) {
            EventStreamMeter meter = new EventStreamMeter();
            meter.feed(Arrays.copyOfRange(stream, 0, cut));
            meter.feed(Arrays.copyOfRange(stream, cut, stream.length));

            assertThat(meter.finish()).as("cut at %d", cut).contains(SHORT);
        }
    }

    @Test
    void aShortStreamGivesItsUsageFedOneByteAtATimeAndThroughByteBufs() {
        byte[] stream = utf8(shortStream());
        EventStreamMeter single = new EventStreamMeter();
        for (byte b : stream) {
            single.feed(new byte[] {b});
        }
        EventStreamMeter buffers = new EventStreamMeter();
        ByteBuf whole = Unpooled.wrappedBuffer(stream);
        for (int at = 0; at < stream.length; at += 7) {
            ByteBuf chunk = whole.retainedSlice(at, Math.min(7, stream.length - at));
            buffers.feed(chunk);
            assertThat(chunk.readerIndex()).isZero();
            assertThat(chunk.readableBytes()).isEqualTo(Math.min(7, stream.length - at));
            chunk.release();
        }

        assertThat(single.finish()).contains(SHORT);
        assertThat(buffers.finish()).contains(SHORT);
        assertThat(whole.refCnt()).isEqualTo(1);
    }

    @Test
    void aLongStreamInRandomChunksIsReadWithBoundedMemory() {
        StringBuilder stream = new StringBuilder(messageStart(3_000, 2_000, 40_000)).append(blockStart());
        for (int i = 0; i < 5_000; i++) {
            stream.append(textDelta("token " + i + " ünïcödé ")).append(i % 500 == 0 ? ping() : "");
        }
        stream.append(blockStop()).append(messageDelta(5_000)).append(messageStop());
        for (long seed = 0; seed < 5; seed++) {
            EventStreamMeter meter = new EventStreamMeter();
            int[] mostHeld = {0};
            inRandomChunks(utf8(stream.toString()), 300, seed, chunk -> {
                meter.feed(chunk);
                mostHeld[0] = Math.max(mostHeld[0], meter.heldBytes());
            });

            assertThat(meter.finish()).contains(Usage.of(MODEL, 3_000, 5_000, 2_000, 40_000));
            assertThat(mostHeld[0]).isLessThanOrEqualTo(1_024);
        }
    }

    @Test
    void usageInMessageStartAloneIsReported() {
        assertThat(meter(messageStart(12, 34, 56) + blockStart() + textDelta("hi") + blockStop() + messageStop()))
                .contains(Usage.of(MODEL, 12, 1, 34, 56));
    }

    @Test
    void aMessageDeltaCarryingInputAndCacheCountsReplacesThoseOfMessageStart() {
        String stream = messageStart(10, 20, 30) + textDelta("x") + messageDelta(
                "{\"input_tokens\":11,\"cache_creation_input_tokens\":null,\"cache_read_input_tokens\":33,"
                        + "\"output_tokens\":44,\"server_tool_use\":{\"web_search_requests\":1}}") + messageStop();

        assertThat(meter(stream)).contains(Usage.of(MODEL, 11, 44, 20, 33));
    }

    @Test
    void outputIsCumulativeSoTheLastMessageDeltaWins() {
        String stream = messageStart(10, 0, 0) + textDelta("a") + messageDelta(5) + textDelta("b") + messageDelta(9)
                + messageDelta(15) + messageStop();

        assertThat(meter(stream)).contains(Usage.of(MODEL, 10, 15, 0, 0));
    }

    @Test
    void cacheWritesAreSplitIntoFiveMinuteAndOneHourWhenTheStreamSaysSo() {
        String stream = messageStart("{\"input_tokens\":5,\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":7,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,\"ephemeral_1h_input_tokens\":200},"
                + "\"output_tokens\":1,\"service_tier\":\"standard\"}") + messageDelta(3) + messageStop();

        Usage usage = meter(stream).orElseThrow();

        assertThat(usage).isEqualTo(new Usage(MODEL, 5, 3, 300, 7, 200));
        assertThat(usage.cacheCreation5mTokens()).isEqualTo(100);
    }

    @Test
    void linesMayEndInCarriageReturnLineFeedOrCarriageReturnAlone() {
        byte[] crlf = utf8(shortStream().replace("\n", "\r\n"));
        for (int cut = 0; cut <= crlf.length; cut++) {
            EventStreamMeter meter = new EventStreamMeter();
            meter.feed(Arrays.copyOfRange(crlf, 0, cut));
            meter.feed(Arrays.copyOfRange(crlf, cut, crlf.length));

            assertThat(meter.finish()).as("cut at %d", cut).contains(SHORT);
        }
        assertThat(meter(shortStream().replace("\n", "\r"))).contains(SHORT);
    }

    @Test
    void theDataLinesOfOneEventAreJoinedByNewlines() {
        String stream = "event: message_start\ndata: {\"type\":\"message_start\",\n: a comment\ndata:\"message\":{\"model\":\""
                + MODEL + "\",\ndata: \"usage\":{\"input_tokens\":8,\"output_tokens\":1}}}\nid: 1\nretry: 10\n\n"
                + messageDelta(2);

        assertThat(meter(stream)).contains(Usage.of(MODEL, 8, 2, 0, 0));
    }

    @Test
    void anEventWithoutANameIsReadByTheTypeInItsData() {
        String stream = "data: {\"type\":\"message_start\",\"message\":{\"model\":\"" + MODEL
                + "\",\"usage\":{\"input_tokens\":4,\"output_tokens\":1}}}\n\n"
                + "data: {\"type\":\"content_block_delta\",\"usage\":{\"output_tokens\":999}}\n\n"
                + "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":6}}\n\n";

        assertThat(meter(stream)).contains(Usage.of(MODEL, 4, 6, 0, 0));
    }

    @Test
    void anErrorMidStreamLeavesWhatWasCountedBeforeIt() {
        String stream = messageStart(100, 0, 50) + blockStart() + textDelta("partial") + messageDelta(7) + error();

        assertThat(meter(stream)).contains(Usage.of(MODEL, 100, 7, 0, 50));
        assertThat(meter(error())).isEmpty();
    }

    @Test
    void aStreamCutBeforeMessageDeltaReportsWhatMessageStartSaid() {
        assertThat(meter(messageStart(25, 0, 0) + blockStart() + textDelta("Hel"))).contains(Usage.of(MODEL, 25, 1, 0, 0));
    }

    @Test
    void aStreamCutBeforeMessageStartEndsReportsNothing() {
        String start = messageStart(25, 0, 0);

        assertThat(meter("")).isEmpty();
        assertThat(meter(start.substring(0, start.length() - 20))).isEmpty();
    }

    @Test
    void aMessageDeltaCutInsideItsLineIsNotReadForLessThanItSaid() {
        String delta = messageDelta(1234);
        String cut = delta.substring(0, delta.indexOf("1234") + 2);

        assertThat(meter(messageStart(25, 0, 0) + cut)).contains(Usage.of(MODEL, 25, 1, 0, 0));
    }

    @Test
    void aLastEventWhoseBlankLineNeverCameIsStillRead() {
        String delta = messageDelta(1234);

        assertThat(meter(messageStart(25, 0, 0) + delta.substring(0, delta.length() - 1)))
                .contains(Usage.of(MODEL, 25, 1234, 0, 0));
    }

    @Test
    void aTenMegabyteTextDeltaIsSkippedAndNotKept() {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(messageStart(25, 0, 0) + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\""));
        byte[] text = utf8("é".repeat(1_024));
        int mostHeld = 0;
        for (int i = 0; i < 10 * 1_024 / 2; i++) {
            meter.feed(text);
            mostHeld = Math.max(mostHeld, meter.heldBytes());
        }
        meter.feed(utf8("\"}}\n\n" + messageDelta(15)));

        assertThat(meter.finish()).contains(SHORT);
        assertThat(mostHeld).isLessThanOrEqualTo(1_024);
    }

    @Test
    void aTenMegabyteEventNamedOnlyAfterItsDataIsKeptOnlyUpToTheCap() {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(messageStart(25, 0, 0) + "data: {\"text\":\""));
        byte[] text = utf8("x".repeat(64 * 1_024));
        int mostHeld = 0;
        for (int i = 0; i < 160; i++) {
            meter.feed(text);
            mostHeld = Math.max(mostHeld, meter.heldBytes());
        }
        meter.feed(utf8("\"}\nevent: content_block_delta\n\n" + messageDelta(15)));

        assertThat(meter.finish()).contains(SHORT);
        assertThat(mostHeld).isLessThanOrEqualTo(EventStreamMeter.DATA_CAP + 1_024);
    }

    @Test
    void aMessageStartOverTheCapIsSkippedAndTheDeltasCountsArePricedAsAnUnknownModel() {
        String huge = "{\"type\":\"message_start\",\"message\":{\"model\":\"" + MODEL + "\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"" + "y".repeat(EventStreamMeter.DATA_CAP) + "\"}],\"usage\":{\"input_tokens\":25}}}";

        assertThat(meter(event("message_start", huge) + messageDelta(15)))
                .contains(Usage.of(Usage.UNKNOWN_MODEL, 0, 15, 0, 0));
    }

    @Test
    void garbageBetweenEventsAndBrokenDataAreSkipped() {
        String stream = "\u0000\u00ff garbage line\n\n" + messageStart(25, 0, 0) + event("message_delta", "{\"usage\":{\"output_")
                + event("message_delta", "not json") + event("message_delta", "{\"usage\":{\"output_tokens\":-3}}")
                + event("message_delta", "{\"usage\":{\"output_tokens\":99999999999999999999999}}") + messageDelta(15);

        assertThat(meter(stream)).contains(SHORT);
    }

    @Test
    void chunksFedAfterFinishAreIgnored() {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(shortStream()));
        Optional<Usage> first = meter.finish();
        meter.feed(utf8(messageDelta(999)));

        assertThat(meter.finish()).isEqualTo(first).contains(SHORT);
    }

    @Test
    void aStreamCutBeforeItsMessageDeltaIsChargedForTheTextItStreamedAndSaysItEstimated() {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(messageStart(25, 0, 0) + blockStart() + textDelta("x".repeat(300)) + textDelta("y".repeat(300))));

        assertThat(meter.finish()).contains(Usage.of(MODEL, 25, 200, 0, 0));
        assertThat(meter.estimated()).isTrue();
    }

    @Test
    void aStreamWhoseMessageDeltaCameIsChargedWhatTheApiSaidHoweverLongItsText() {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(messageStart(25, 0, 0) + blockStart() + textDelta("x".repeat(3_000)) + messageDelta(15)));

        assertThat(meter.finish()).contains(SHORT);
        assertThat(meter.estimated()).isFalse();
    }

    @Test
    void aMessageDeltaTooLongToKeepLeavesTheOutputEstimatedNotAtOneToken() {
        EventStreamMeter meter = new EventStreamMeter();
        meter.feed(utf8(messageStart(25, 0, 0) + textDelta("x".repeat(90)) + messageDelta("{\"output_tokens\":15,"
                + "\"pad\":\"" + "p".repeat(EventStreamMeter.DATA_CAP) + "\"}")));

        assertThat(meter.finish()).contains(Usage.of(MODEL, 25, 30, 0, 0));
        assertThat(meter.estimated()).isTrue();
    }
}
