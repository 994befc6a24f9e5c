package dev.claudebottle.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.AlertMarker;
import dev.claudebottle.contract.UsageLine;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.RecordChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One bottle's record dir as the host sees it: the host's own lines in the record (lifecycle:
 * {@code start}, {@code verify}, {@code stop}), chained with the bundle's, and the alert marker the
 * bundle leaves beside them.
 *
 * @param dir  the record dir
 * @param slug the bottle
 */
public record RecordDir(Path dir, String slug) {
    private static final ObjectMapper JSON = new ObjectMapper();
    // the bundle cuts the reason to 2,000 characters: a marker is a few KiB at most
    private static final long MARKER_BYTES = 64 * 1024;
    /** The lifecycle event of a verification of the fence. */
    public static final String VERIFY = "verify";
    /** The file beside the record that holds the last verification. */
    public static final String VERIFIED_FILE = "verified.json";

    /** Appends a lifecycle line, as {@code {"kind":"lifecycle","event":…,"reason":…}} after the chain's head. */
    public void lifecycle(String event, String detail, Clock clock) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("bottle", slug);
        line.put("kind", "lifecycle");
        line.put("event", event);
        line.put("reason", detail);
        try (RecordChain chain = new RecordChain(dir.resolve(BundleLayout.RECORD_FILE), RecordChain.FILE_BYTES,
                RecordChain.KEPT_FILES)) {
            chain.append(JSON.writeValueAsString(line));
        }
        if (event.equals(VERIFY)) {
            // the last verification beside the record too, for a reader who wants it without reading the record
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("at", line.get("time"));
            last.put("result", detail);
            Path aside = dir.resolve(VERIFIED_FILE + ".tmp");
            Files.write(aside, JSON.writeValueAsBytes(last));
            Files.move(aside, dir.resolve(VERIFIED_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** When the bottle's fence was last proven (at its launch, or by {@code bottle verify}), and what held. */
    public Optional<Verified> verified() {
        Path file = dir.resolve(VERIFIED_FILE);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MARKER_BYTES) {
                return Optional.empty();
            }
            Map<?, ?> read = JSON.readValue(file.toFile(), Map.class);
            return Optional.of(new Verified(Instant.parse(String.valueOf(read.get("at"))),
                    String.valueOf(read.get("result"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A verification of a bottle's fence.
     *
     * @param at     when it ran
     * @param result what it found, as the record says it
     */
    public record Verified(Instant at, String result) {
    }

    /** What the bottle spent on the model so far, as its gateway last wrote it; none before its first call. */
    public Optional<UsageLine.Spent> spent() {
        Path file = dir.resolve(UsageLine.SPENT_FILE);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MARKER_BYTES) {
                return Optional.empty();
            }
            return Optional.of(UsageLine.Spent.fromJson(JSON.readValue(file.toFile(), Object.class)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The alert the bottle raised first, if it raised one; a marker that does not read still taints,
     * and one larger than the bundle ever writes is not read.
     */
    public Optional<AlertMarker> alert() {
        Path marker = dir.resolve(AlertMarker.FILE);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try {
            if (Files.size(marker) > MARKER_BYTES) {
                throw new IOException("it is larger than " + MARKER_BYTES + " bytes");
            }
            return Optional.of(AlertMarker.fromJson(JSON.readValue(marker.toFile(), Object.class)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(new AlertMarker(Instant.EPOCH, "unreadable", "the alert marker cannot be read: "
                    + e.getMessage()));
        }
    }
}
