package dev.claudebottle.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.contract.AlertMarker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bottle's first alert as the host finds it: the marker the bundle leaves in the record dir. */
class AlertMarkerWatchTest {
    @TempDir
    Path dir;

    private RecordDir record() {
        return new RecordDir(dir, "web-1a2b");
    }

    /** Leaves the marker as the bundle does: whole, moved into place, never seen half written. */
    private void marker(String json) throws Exception {
        Path aside = dir.resolve("." + AlertMarker.FILE + ".tmp");
        Files.writeString(aside, json);
        Files.move(aside, dir.resolve(AlertMarker.FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theMarkerReadsAsTheFirstAlert() throws Exception {
        assertThat(record().alert()).isEmpty();
        marker("{\"at\": \"2026-11-30T07:00:00Z\", \"rule\": \"tripwire\", \"reason\": \"placeholder toward evil.test\"}");
        assertThat(record().alert()).contains(new AlertMarker(Instant.parse("2026-11-30T07:00:00Z"), "tripwire",
                "placeholder toward evil.test"));
    }

    @Test
    void aMarkerThatDoesNotReadOrIsTooLargeStillTaints() throws Exception {
        marker("{\"rule\": ");
        assertThat(record().alert()).hasValueSatisfying(a -> assertThat(a.rule()).isEqualTo("unreadable"));
        marker("{\"at\": \"2026-11-30T07:00:00Z\", \"rule\": \"tripwire\", \"reason\": \"" + "x".repeat(70_000) + "\"}");
        assertThat(record().alert()).hasValueSatisfying(a -> {
            assertThat(a.rule()).isEqualTo("unreadable");
            assertThat(a.reason()).contains("larger than 65536 bytes");
        });
    }

    @Test
    void aWaitEndsWithTheAlertOrEmptyOnceNoOneWatches() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        assertThat(AlertMarkerWatch.await(record(), () -> looks.incrementAndGet() < 3)).isEmpty();
        assertThat(looks).as("asked before each look, and once more to end").hasValue(3);
        marker("{\"at\": \"2026-11-30T07:00:00Z\", \"rule\": \"response\", \"reason\": \"a real value\"}");
        assertThat(AlertMarkerWatch.await(record(), () -> true)).map(AlertMarker::rule).contains("response");
    }

    @Test
    void aWatchHandsTheFirstAlertOverOnceOnItsOwnThread() throws Exception {
        List<AlertMarker> alerts = new CopyOnWriteArrayList<>();
        CountDownLatch handed = new CountDownLatch(1);
        try (AlertMarkerWatch watch = new AlertMarkerWatch(record(), alert -> {
            alerts.add(alert);
            handed.countDown();
        })) {
            marker("{\"at\": \"2026-11-30T07:00:00Z\", \"rule\": \"tripwire\", \"reason\": \"first\"}");
            assertThat(handed.await(10, TimeUnit.SECONDS)).isTrue();
            marker("{\"at\": \"2026-11-30T07:00:01Z\", \"rule\": \"tripwire\", \"reason\": \"second\"}");
            dev.claudebottle.spi.testing.Await.until(java.time.Duration.ofSeconds(10), "the watch to end after the first",
                    () -> !watch.watching());
        }
        assertThat(alerts).singleElement().extracting(AlertMarker::reason).isEqualTo("first");
    }
}
