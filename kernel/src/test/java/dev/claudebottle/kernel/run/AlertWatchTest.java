package dev.claudebottle.kernel.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    /** The threads that warned: the watch's own, which ends once it did all it does about an alert. */
    private final List<Thread> warners = new CopyOnWriteArrayList<>();
    private final EventSink events = new EventSink() {
        @Override
        public void warn(String message) {
            warners.add(Thread.currentThread());
            warnings.add(message);
        }

        @Override
        public void emit(Event event) {
        }
    };

    /** Leaves the marker as the bundle does: whole, moved into place, never seen half written. */
    private void alert() throws Exception {
        Files.createDirectories(state);
        Path aside = state.resolve(".tainted.json.tmp");
        Files.writeString(aside, "{\"at\": \"2026-11-30T07:00:00Z\", "
                + "\"rule\": \"tripwire\", \"reason\": \"placeholder toward evil.test\\u001b[2J\"}");
        Files.move(aside, state.resolve("tainted.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
            Await.until(Duration.ofSeconds(10), "the alert's warning", () -> !warnings.isEmpty());
            // a teardown would come after the warning, on the same thread: once it ended, none will
            Await.until(Duration.ofSeconds(10), "the watch to end after its warning",
                    () -> warners.stream().noneMatch(Thread::isAlive));
        }
        assertThat(warnings).singleElement().asString().contains("marked tainted").doesNotContain("stopped");
        assertThat(torn.getCount()).isEqualTo(1);
    }
}
