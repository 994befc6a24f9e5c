package dev.claudebottle.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.testing.FixedPaths;
import dev.claudebottle.contract.RecordChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    @TempDir
    Path home;

    private BottlePaths paths() {
        return FixedPaths.at(home);
    }

    private void record(String slug, int lines, Instant written, boolean running) throws Exception {
        Path file = paths().recordDir(slug).resolve("audit.jsonl");
        try (RecordChain chain = new RecordChain(file, 1 << 20, 3)) {
            for (int i = 0; i < lines; i++) {
                chain.append("{\"time\":\"" + written.minusSeconds(lines - i) + "\",\"kind\":\"request\"}");
            }
        }
        Files.setLastModifiedTime(file, FileTime.from(written));
        Files.setLastModifiedTime(file.getParent(), FileTime.from(written));
        if (running) {
            Files.createDirectories(paths().bottleDir(slug));
        }
    }

    private Records records() {
        return new Records(paths(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void listsEveryRecordOldestFirstWithWhatItHolds() throws Exception {
        record("web-1a2b", 3, NOW.minus(Duration.ofDays(2)), false);
        record("api-9f8e", 5, NOW.minus(Duration.ofHours(1)), true);
        Files.writeString(paths().recordDir("web-1a2b").resolve("tainted.json"), "{}");

        var list = records().list();

        assertThat(list).extracting(RecordSummary::slug).containsExactly("web-1a2b", "api-9f8e");
        assertThat(list.get(0).lines()).isEqualTo(3);
        assertThat(list.get(0).tainted()).isTrue();
        assertThat(list.get(0).running()).isFalse();
        assertThat(list.get(0).first()).contains(NOW.minus(Duration.ofDays(2)).minusSeconds(3));
        assertThat(list.get(1).running()).isTrue();
    }

    @Test
    void pruningRemovesRecordsPastTheAgeThenTheOldestPastTheSizeButNeverARunningBottles() throws Exception {
        record("old-0001", 3, NOW.minus(Duration.ofDays(100)), false);
        record("old-0002", 3, NOW.minus(Duration.ofDays(200)), true);
        record("mid-0003", 50, NOW.minus(Duration.ofDays(5)), false);
        record("new-0004", 50, NOW.minus(Duration.ofDays(1)), false);

        assertThat(records().prune(new Retention(Optional.of(Duration.ofDays(90)), Optional.empty())))
                .containsExactly("old-0001");
        long newest = records().list().stream().filter(r -> r.slug().equals("new-0004")).findFirst().orElseThrow()
                .bytes();
        long running = records().list().stream().filter(r -> r.slug().equals("old-0002")).findFirst().orElseThrow()
                .bytes();
        assertThat(records().prune(new Retention(Optional.empty(), Optional.of(newest + running))))
                .containsExactly("mid-0003");
        assertThat(records().list()).extracting(RecordSummary::slug).containsExactly("old-0002", "new-0004");
    }

    @Test
    void theHostsLifecycleLineAfterALineOverAMebibyteKeepsTheChain() throws Exception {
        Path file = paths().recordDir("web-1a2b").resolve("audit.jsonl");
        RecordDir dir = new RecordDir(file.getParent(), "web-1a2b");
        dir.lifecycle("start", "agent coder", Clock.fixed(NOW, ZoneOffset.UTC));
        try (RecordChain bundle = new RecordChain(file, RecordChain.FILE_BYTES, RecordChain.KEPT_FILES)) {
            bundle.append("{\"kind\":\"supervise\",\"reason\":\"" + "x".repeat(2 << 20) + "\"}");
        }

        dir.lifecycle("stop", "bottle stop", Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(RecordChain.verify(RecordChain.files(file))).isEmpty();
        assertThat(records().list()).singleElement().satisfies(r -> assertThat(r.lines()).isEqualTo(3));
    }

    @Test
    void retentionComesFromTheEnvironmentWithDefaultsAndZeroSwitchesALimitOff() {
        assertThat(Retention.from(HostEnvironment.of(Map.of())))
                .isEqualTo(new Retention(Optional.of(Duration.ofDays(90)), Optional.of(2L << 30)));
        assertThat(Retention.from(HostEnvironment.of(Map.of(Retention.MAX_AGE, "12h", Retention.MAX_SIZE, "500m"))))
                .isEqualTo(new Retention(Optional.of(Duration.ofHours(12)), Optional.of(500L << 20)));
        assertThat(Retention.from(HostEnvironment.of(Map.of(Retention.MAX_AGE, "0", Retention.MAX_SIZE, "0"))))
                .isEqualTo(new Retention(Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> Retention.from(HostEnvironment.of(Map.of(Retention.MAX_AGE, "a month"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining(Retention.MAX_AGE);
    }

    @Test
    void theLastVerificationOfTheFenceIsKeptBesideTheRecord(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        RecordDir record = new RecordDir(dir, "web-1a2b");
        org.assertj.core.api.Assertions.assertThat(record.verified()).isEmpty();
        record.lifecycle("start", "agent a", java.time.Clock.systemUTC());
        record.lifecycle(RecordDir.VERIFY, "isolation verified: 4 probes in 300 ms", java.time.Clock.systemUTC());
        record.lifecycle(RecordDir.VERIFY, "3 of 4 probes held", java.time.Clock.systemUTC());
        record.lifecycle("stop", "", java.time.Clock.systemUTC());

        org.assertj.core.api.Assertions.assertThat(record.verified()).hasValueSatisfying(v ->
                org.assertj.core.api.Assertions.assertThat(v.result()).isEqualTo("3 of 4 probes held"));
        org.assertj.core.api.Assertions.assertThat(java.nio.file.Files.readString(dir.resolve("audit.jsonl")))
                .contains("isolation verified").contains("3 of 4 probes held");
    }
}
