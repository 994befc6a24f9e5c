package dev.claudebottle.kernel.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attached bottle's first alert: shown once, inert, and with on_alert: stop the bottle goes. */
class AlertWatchTest {
    @TempDir
    Path state; // the record dir
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final EventSink events = new EventSink() {
        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void emit(Event event) {
        }
    };

    private void alert() throws Exception {
        Files.createDirectories(state);
        Files.writeString(state.resolve("tainted.json"), "{\"at\": \"2026-11-30T07:00:00Z\", "
                + "\"rule\": \"tripwire\", \"reason\": \"placeholder toward evil.test\\u001b[2J\"}");
    }

    @Test
    void withStopTheFirstAlertIsShownInertAndTearsTheBottleDown() throws Exception {
        CountDownLatch torn = new CountDownLatch(1);
        try (AlertWatch watch = new AlertWatch("web-1a2b", state, true, torn::countDown, events)) {
            alert();
            assertThat(torn.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(warnings).singleElement().asString().contains("ALERT in bottle web-1a2b: tripwire: placeholder "
                + "toward evil.test\\u001b[2J").doesNotContain("\u001b").contains("stopped (on_alert: stop)");
    }

    @Test
    void withLogTheAlertIsShownAndTheBottleStays() throws Exception {
        CountDownLatch torn = new CountDownLatch(1);
        try (AlertWatch watch = new AlertWatch("web-1a2b", state, false, torn::countDown, events)) {
            alert();
            for (int i = 0; i < 100 && warnings.isEmpty(); i++) {
                Thread.sleep(100);
            }
        }
        assertThat(warnings).singleElement().asString().contains("marked tainted").doesNotContain("stopped");
        assertThat(torn.getCount()).isEqualTo(1);
    }
}
