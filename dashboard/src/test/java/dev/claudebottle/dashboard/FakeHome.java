package dev.claudebottle.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.records.ApprovalBoard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What a dashboard serves in its tests: one running bottle (its row as {@code bottle ls --json} gives
 * it), its questions filed as a bundle files them into a real approval queue, one kept record of a
 * stopped bottle whose chain is broken, and the stops asked for.
 */
final class FakeHome implements DashboardData {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path bottles;
    private final Path records;
    private final Supplier<Map<String, Object>> bottle;
    /** The bottles a stop was asked for. */
    final List<String> stopped = new CopyOnWriteArrayList<>();

    /** A home whose bottles' queues are under {@code bottles}, records under {@code records}. */
    FakeHome(Path bottles, Path records, Supplier<Map<String, Object>> bottle) {
        this.bottles = bottles;
        this.records = records;
        this.bottle = bottle;
    }

    /** Files a question of bottle web-1a2b's agent, as a bundle files one. */
    void question(String id, String title, String details) {
        Path queue = bottles.resolve("web-1a2b").resolve(ApprovalQueueFiles.HOST_DIR);
        try {
            for (String dir : ApprovalQueueFiles.FOLDERS) {
                Files.createDirectories(queue.resolve(dir));
            }
            Instant now = Instant.now();
            Files.write(queue.resolve(ApprovalQueueFiles.REQUESTS).resolve(ApprovalQueueFiles.fileName(id)),
                    JSON.writeValueAsBytes(new ApprovalQueueFiles.Request(id, "web-1a2b", title, details, "command",
                            now, now.plusSeconds(600), "k" + id).toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where question {@code id} stands, as the command line reads it. */
    ApprovalQueueFiles.State state(String id) {
        return board().requests().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().state();
    }

    @Override
    public List<Map<String, Object>> bottles() {
        return List.of(bottle.get());
    }

    @Override
    public ApprovalBoard board() {
        return new ApprovalBoard(bottles, Clock.systemUTC());
    }

    @Override
    public Path record(String slug) {
        return records.resolve(slug).resolve("audit.jsonl");
    }

    @Override
    public void stop(String slug) {
        stopped.add(slug);
    }

    @Override
    public List<Map<String, Object>> records() {
        return List.of(Map.of("slug", "old-9f8e", "lines", 42, "last_at", "2026-12-06T09:00:00Z",
                "tainted", true, "running", false, "spent", Map.of("tokens", 10, "usd", "0.01")));
    }

    @Override
    public Map<String, Object> verify(String slug) {
        return Map.of("slug", slug, "intact", false, "line", 7, "problem", "does not carry the hash of the line "
                + "before\u202e");
    }
}
