package dev.claudebottle.bundle.spend;

import static dev.claudebottle.bundle.spend.MessageShapes.MODEL;
import static dev.claudebottle.bundle.spend.MessageShapes.messageBody;
import static dev.claudebottle.bundle.spend.MessageShapes.shortStream;
import static dev.claudebottle.bundle.spend.MessageShapes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A body is metered by its content type, and no bytes at all make a meter throw. */
class UsageMeterTest {
    @Test
    void aMeterIsChosenByTheMediaTypeWhateverItsCaseAndParameters() {
        assertThat(UsageMeter.forContentType("text/event-stream; charset=utf-8")).isInstanceOf(EventStreamMeter.class);
        assertThat(UsageMeter.forContentType(" Text/Event-Stream")).isInstanceOf(EventStreamMeter.class);
        assertThat(UsageMeter.forContentType("application/json")).isInstanceOf(MessageBodyMeter.class);
        assertThat(UsageMeter.forContentType("APPLICATION/JSON;charset=UTF-8")).isInstanceOf(MessageBodyMeter.class);
    }

    @Test
    void anyOtherBodyIsNotMetered() {
        for (String type : new String[] {null, "", "text/html", "application/json-seq", "text/plain", ";"}) {
            UsageMeter meter = UsageMeter.forContentType(type);
            meter.feed(utf8(messageBody("x", "{\"input_tokens\":5}")));

            assertThat(meter.finish()).as("%s", type).isEmpty();
        }
    }

    @Test
    void theRightMeterReadsEachKindOfBody() {
        UsageMeter stream = UsageMeter.forContentType("text/event-stream");
        stream.feed(utf8(shortStream()));
        UsageMeter body = UsageMeter.forContentType("application/json");
        body.feed(utf8(messageBody("x", "{\"input_tokens\":5,\"output_tokens\":6}")));

        assertThat(stream.finish()).contains(Usage.of(MODEL, 25, 15, 0, 0));
        assertThat(body.finish()).contains(Usage.of(MODEL, 5, 6, 0, 0));
    }

    @Test
    void garbageAndDamagedBodiesNeverMakeAMeterThrow() {
        Random random = new Random(7);
        byte[][] bodies = {utf8(shortStream()), utf8(messageBody("ü🙂", "{\"input_tokens\":5}"))};
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(400)];
                random.nextBytes(bytes);
            } else {
                bytes = bodies[random.nextInt(2)].clone();
                for (int damage = 0; damage < 1 + random.nextInt(5); damage++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            for (String type : new String[] {"text/event-stream", "application/json"}) {
                UsageMeter meter = UsageMeter.forContentType(type);
                byte[] all = bytes;

                assertThatCode(() -> {
                    MessageShapes.inRandomChunks(all, 50, all.length, meter::feed);
                    meter.finish();
                }).as("round %d, %s", round, type).doesNotThrowAnyException();
            }
        }
    }
}
