package dev.claudebottle.bundle.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.contract.RecordChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest looping on denied requests cannot grow its bottle's audit record past its bounds. */
class AuditLogTest {
    @TempDir
    Path dir;

    /** A clock a test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-30T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static AuditRecord denied(String decision, int i) {
        return new AuditRecord(Instant.EPOCH, "loop-0001", "10.0.0.2", "connect", "CONNECT", "denied" + i + ".test",
                443, "", decision, "default deny", "host is not allowed", 403, 0, 0, 0);
    }

    private static AuditRecord allowed(int i) {
        return new AuditRecord(Instant.EPOCH, "loop-0001", "10.0.0.2", "request", "GET", "api.test", 443,
                "/v1/" + i, "allow", "allow api.test", "allowed", 200, 10, 20, 5);
    }

    private static AuditRecord notification(String message) {
        return new AuditRecord(Instant.EPOCH, "loop-0001", "", "supervise", "notify", "supervise", 9100, "n1",
                "allow", "supervise", message, 0, 0, 0, 0);
    }

    /** The record's own files: the room kept for the alert marker beside them is not the record. */
    private long totalBytes() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals(AuditLog.MARKER_RESERVE))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void roomIsKeptForTheAlertMarkerAndGivenUpForIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(file)) {
            assertThat(dir.resolve(AuditLog.MARKER_RESERVE)).as("room kept from the start").exists();

            log.write(new AuditRecord(java.time.Instant.now(), "test-1", "", "connect", "CONNECT", "evil.test", 443,
                    "", "alert", "tripwire", "r".repeat(1 << 20), 0, 0, 0, 0));

            assertThat(dir.resolve(dev.claudebottle.contract.AlertMarker.FILE)).exists()
                    .satisfies(marker -> assertThat(Files.size(marker)).isLessThan(16 * 1024));
            assertThat(dir.resolve(AuditLog.MARKER_RESERVE)).as("given up for the marker").doesNotExist();
        }
    }

    @Test
    void aFloodIsCutToTheRateWithOneSummaryOfWhatWasDropped() throws Exception {
        HandClock clock = new HandClock();
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(file, new AuditLog.Limits(1 << 20, 2, 10, 5), clock)) {
            for (int i = 0; i < 1000; i++) {
                log.write(denied("deny", i));
            }
            log.write(denied("alert", -1));
            clock.now = clock.now.plusSeconds(1);
            log.write(denied("deny", 1000));
        }
        List<String> lines = Files.readAllLines(file);

        // a burst of 10, the summary of the 990 dropped before the alert, which is never dropped, and the
        // line written once the rate allowed it
        assertThat(lines).hasSize(13);
        assertThat(lines.get(10)).contains("\"decision\":\"dropped\"").contains("990 line(s) dropped")
                .contains("990 connect deny");
        assertThat(lines.get(11)).contains("\"host\":\"denied-1.test\"").contains("\"decision\":\"alert\"");
        assertThat(lines.get(12)).contains("denied1000.test");
    }

    @Test
    void droppedRecordsAreSummedUpWhenTheLogCloses() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(file, new AuditLog.Limits(1 << 20, 2, 3, 1), new HandClock())) {
            for (int i = 0; i < 10; i++) {
                log.write(denied("deny", i));
            }
        }

        assertThat(Files.readAllLines(file)).hasSize(4).last().asString().contains("7 line(s) dropped");
    }

    @Test
    void theFileIsRotatedAndTheOldestGoesSoTheRecordStaysWithinItsCap() throws Exception {
        HandClock clock = new HandClock();
        Path file = dir.resolve("audit.jsonl");
        AuditLog.Limits limits = new AuditLog.Limits(4096, 2, 1_000_000, 1_000_000);
        try (AuditLog log = new AuditLog(file, limits, clock)) {
            for (int i = 0; i < 5000; i++) {
                log.write(denied("deny", i));
                clock.now = clock.now.plus(Duration.ofMillis(1));
            }
        }

        assertThat(dir.resolve("audit.jsonl.1")).exists();
        assertThat(dir.resolve("audit.jsonl.2")).exists();
        assertThat(dir.resolve("audit.jsonl.3")).doesNotExist();
        // a file passes its size by no more than the note of what the oldest held
        assertThat(totalBytes()).isLessThanOrEqualTo(3 * (4096 + 1024));
        assertThat(Files.readString(file)).contains("denied4999.test");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> !f.getFileName().toString().equals(AuditLog.MARKER_RESERVE))
                    .filter(f -> f.toFile().length() > 4096 + 1024)).isEmpty();
        }
    }

    @Test
    void allowedRequestsAreNeverDroppedByTheRateLimitOnlyRefusalsAre() throws Exception {
        HandClock clock = new HandClock();
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(file, new AuditLog.Limits(1 << 20, 2, 10, 5), clock)) {
            for (int i = 0; i < 1000; i++) {
                log.write(denied("deny", i));
                if (i % 10 == 0) {
                    log.write(allowed(i));
                }
                if (i % 100 == 0) {
                    log.write(AuditRecord.approval("loop-0001", "decision", "supervise", "q" + i, "denied", "no"));
                }
            }
        }
        List<String> lines = Files.readAllLines(file);

        assertThat(lines).filteredOn(l -> l.contains("\"kind\":\"approval\"")).as("every approval").hasSize(10);
        assertThat(lines).filteredOn(l -> l.contains("\"decision\":\"allow\"")).as("every request that passed")
                .hasSize(100);
        assertThat(lines).filteredOn(l -> l.contains("\"decision\":\"deny\"")).as("refusals, cut to the rate")
                .hasSize(10);
    }

    @Test
    void theSummaryOfDroppedLinesSaysHowManyOfWhatKindOverWhatSpan() throws Exception {
        HandClock clock = new HandClock();
        Path file = dir.resolve("audit.jsonl");
        Instant start = clock.now;
        try (AuditLog log = new AuditLog(file, new AuditLog.Limits(1 << 20, 2, 1, 1), clock)) {
            log.write(denied("deny", 0));
            for (int i = 1; i <= 30; i++) {
                log.write(denied("deny", i));
                log.write(notification("note " + i));
                clock.now = clock.now.plusMillis(10);
            }
        }
        List<String> lines = Files.readAllLines(file);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("\"kind\":\"audit\"").contains("\"decision\":\"dropped\"")
                .contains("60 line(s) dropped").contains("30 connect deny").contains("30 supervise notify")
                .contains("from " + start).contains("to " + start.plusMillis(290));
    }

    @Test
    void aHugeTextIsCutSoTheLineStaysBoundedAndSaysSo() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(file, AuditLog.Limits.DEFAULT, new HandClock())) {
            log.write(notification("y".repeat(2 << 20)));
            log.write(notification("\u0000".repeat(1 << 20)));
        }
        List<String> lines = Files.readAllLines(file);

        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThan(64 << 10));
        assertThat(lines.get(0)).contains("characters cut");
    }

    @Test
    void aFloodThatRotatesTheRecordLeavesTheHostsStartLineAndANoteOfWhatWentAway() throws Exception {
        HandClock clock = new HandClock();
        Path file = dir.resolve("audit.jsonl");
        try (RecordChain host = new RecordChain(file, 4096, 2)) {
            host.append("{\"time\":\"2026-11-30T00:00:00Z\",\"kind\":\"lifecycle\",\"event\":\"start\"}");
        }
        try (AuditLog log = new AuditLog(file, new AuditLog.Limits(4096, 2, 10, 5), clock)) {
            for (int i = 0; i < 2000; i++) {
                log.write(allowed(i));
            }
        }
        List<Path> files = RecordChain.files(file);
        StringBuilder all = new StringBuilder();
        for (Path f : files) {
            all.append(Files.readString(f));
        }

        assertThat(all.toString()).contains("\"event\":\"start\"").contains("/v1/1999")
                .contains("\"rule\":\"rotation\"");
        assertThat(RecordChain.verify(files)).isEmpty();
        assertThat(RecordChain.intact(files)).hasValueSatisfying(i ->
                assertThat(i.rotatedAway()).as("what went is said").hasValueSatisfying(r ->
                        assertThat(r.kinds()).containsKey("request")));
    }
}
