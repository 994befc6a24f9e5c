package dev.claudebottle.bundle.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.contract.ApprovalQueueFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent can leave in a bottle's queue on the host is bounded, whatever it sends. */
class ApprovalQueueTest {
    @TempDir
    Path dir;

    private ApprovalQueue queue(int perMinute) throws Exception {
        return new ApprovalQueue(dir, "test-1", Clock.systemUTC(), FilingRate.perMinute(perMinute, Clock.systemUTC()));
    }

    private long files(String folder) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(folder))) {
            return files.count();
        }
    }

    private long bytes(String folder) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(folder))) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void aFolderKeepsAtMostItsCapAndTheOldestNotificationsMakeRoom() throws Exception {
        ApprovalQueue q = queue(100_000);

        for (int i = 0; i < ApprovalQueueFiles.MAX_FILES + 100; i++) {
            q.notify("note " + i + " " + "x".repeat(ApprovalQueueFiles.MAX_TEXT - 20));
        }

        assertThat(files(ApprovalQueueFiles.NOTIFICATIONS)).isEqualTo(ApprovalQueueFiles.MAX_FILES);
        assertThat(bytes(ApprovalQueueFiles.NOTIFICATIONS))
                .isLessThanOrEqualTo(ApprovalQueueFiles.MAX_FILES * ApprovalQueueFiles.MAX_FILE_BYTES);
    }

    @Test
    void decidedRequestsMakeRoomAndOpenOnesAreCapped() throws Exception {
        ApprovalQueue q = queue(100_000);
        for (int i = 0; i < ApprovalQueueFiles.MAX_FILES + 40; i++) {
            var pending = q.submit(ApprovalQueue.Question.ofAgent("question " + i, "", "command"), Duration.ofMinutes(5));
            q.expire(pending.id());
        }
        assertThat(files(ApprovalQueueFiles.REQUESTS)).isEqualTo(ApprovalQueueFiles.MAX_FILES);

        for (int i = 0; i < ApprovalQueue.MAX_OPEN_AGENT; i++) {
            q.submit(ApprovalQueue.Question.ofAgent("open " + i, "", "command"), Duration.ofMinutes(5));
        }
        assertThatThrownBy(() -> q.submit(ApprovalQueue.Question.ofAgent("one more", "", "command"),
                Duration.ofMinutes(5))).isInstanceOf(ApprovalQueue.Refused.class)
                .hasMessageContaining("already wait for a person");
        assertThat(files(ApprovalQueueFiles.REQUESTS)).isEqualTo(ApprovalQueueFiles.MAX_FILES);
    }

    @Test
    void aGrantThatHoldsIsNeverPushedOutByTheAgentsFiling() throws Exception {
        ApprovalQueue q = queue(100_000);
        var grant = q.submit(new ApprovalQueue.Question(ApprovalQueueFiles.Asker.GATEWAY, "egress to x.test:443 (CONNECT)",
                "", "egress", java.util.Optional.of("x.test:443"), java.util.Optional.empty()), Duration.ofMinutes(5));
        Files.write(dir.resolve(ApprovalQueueFiles.DECISIONS).resolve(ApprovalQueueFiles.fileName(grant.id())),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(new ApprovalQueueFiles.Decision(
                        grant.id(), ApprovalQueueFiles.State.APPROVED, "", java.time.Instant.now(),
                        ApprovalQueueFiles.DecidedBy.HOST).toJson()));

        for (int i = 0; i < 2 * ApprovalQueueFiles.MAX_FILES; i++) {
            q.expire(q.submit(ApprovalQueue.Question.ofAgent("filler " + i, "", "command"), Duration.ofMinutes(5)).id());
        }

        assertThat(dir.resolve(ApprovalQueueFiles.REQUESTS).resolve(ApprovalQueueFiles.fileName(grant.id()))).exists();
        assertThat(q.decision(grant.id())).hasValueSatisfying(o -> assertThat(o.approved()).isTrue());
        assertThat(files(ApprovalQueueFiles.REQUESTS)).isEqualTo(ApprovalQueueFiles.MAX_FILES);
    }

    @Test
    void textsLongerThanAPersonReadsAreRefusedAndNothingIsWritten() throws Exception {
        ApprovalQueue q = queue(100);

        assertThatThrownBy(() -> q.notify("x".repeat(ApprovalQueueFiles.MAX_TEXT + 1)))
                .isInstanceOf(ApprovalQueue.Refused.class).hasMessageContaining("at most 4096");
        assertThatThrownBy(() -> q.submit(ApprovalQueue.Question.ofAgent("t".repeat(ApprovalQueueFiles.MAX_TITLE + 1),
                "", "command"), Duration.ofMinutes(1))).isInstanceOf(ApprovalQueue.Refused.class);
        assertThatThrownBy(() -> q.submit(ApprovalQueue.Question.ofAgent("t", "d".repeat(16 << 20), "command"),
                Duration.ofMinutes(1))).isInstanceOf(ApprovalQueue.Refused.class);

        assertThat(files(ApprovalQueueFiles.NOTIFICATIONS)).isZero();
        assertThat(files(ApprovalQueueFiles.REQUESTS)).isZero();
    }

    @Test
    void aFloodIsDroppedOverTheRateAndWhatWasDroppedIsCounted() throws Exception {
        ApprovalQueue q = queue(20);
        int delivered = 0;
        for (int i = 0; i < 50; i++) {
            try {
                q.notify("flood " + i);
                delivered++;
            } catch (ApprovalQueue.Refused e) {
                assertThat(e.getMessage()).contains("dropped");
            }
        }

        assertThat(delivered).isBetween(20, 21);
        FilingRate.Dropped dropped = q.droppedSinceLastAsked();
        assertThat(dropped.counts()).containsEntry("notifications", 50 - delivered);
        assertThat(dropped.describe()).contains((50 - delivered) + " notifications dropped since");
        assertThat(q.droppedSinceLastAsked().any()).isFalse();
    }
}
