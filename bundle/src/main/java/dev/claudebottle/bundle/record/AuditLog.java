package dev.claudebottle.bundle.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.claudebottle.contract.AlertMarker;
import dev.claudebottle.contract.RecordChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Appends audit records to the bottle's record ({@link RecordChain}: one JSON object a line, each
 * chained to the one before by its hash, shared with the host's CLI), within bounds a guest cannot
 * push it past: refusals and notifications beyond a rate (a burst, then so many a second) are counted,
 * not written, and one summary line says how many of which sort were dropped over what span; what
 * passed, alerts and approvals are always written, so the record never misses a request that reached
 * an upstream. A line longer than {@link #LINE_BYTES} has its texts cut, saying so. A file that reaches
 * its size is rotated ({@code audit.jsonl.1}, …), the chain going on in the new file, and the
 * oldest rotated file goes, the chain noting what it held.
 * The first alert also leaves an {@link AlertMarker} beside the log, by which the host shows the
 * bottle as tainted, and is handed to the listener (the gateway stops the bottle's traffic when
 * the manifest says so). Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private final Path file;
    private final Limits limits;
    private final Clock clock;
    /** The most a line takes: a longer one (a guest's megabytes of notification) has its texts cut. */
    static final int LINE_BYTES = 64 << 10;
    /** How much of each text a line too long keeps, tried in turn: at the last, nine texts fit however they escape. */
    private static final int[] FITTED_CHARS = {8192, 1024};
    private final RecordChain chain;
    /** The file that keeps room for the alert marker beside the record. */
    static final String MARKER_RESERVE = "." + AlertMarker.FILE + ".reserve";
    private static final int MARKER_RESERVE_BYTES = 64 << 10;
    /** The most of a reason the marker keeps: it fits in the room kept for it whatever it escapes to. */
    private static final int MARKER_REASON_CHARS = 2000;
    private double tokens;
    private Instant refilled;
    private final DroppedLines dropped = new DroppedLines();
    private boolean alerted;
    private boolean marked;
    private final List<java.util.function.Consumer<AuditRecord>> onFirstAlert = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> lineListeners = new CopyOnWriteArrayList<>();

    /**
     * How far the log may grow.
     *
     * @param fileBytes  the size at which the file is rotated
     * @param keptFiles  how many rotated files are kept beside the current one
     * @param burst      how many refusals and notifications may be written at once
     * @param perSecond  how many refusals and notifications a second may be written after a burst
     */
    public record Limits(long fileBytes, int keptFiles, int burst, int perSecond) {
        /** 32 MiB a file, three rotated files kept (128 MiB a bottle at most), 2000 refusals at once, 200 a second. */
        public static final Limits DEFAULT = new Limits(RecordChain.FILE_BYTES, RecordChain.KEPT_FILES, 2000, 200);

        /** Requires positive limits. */
        public Limits {
            if (fileBytes < 1024 || keptFiles < 1 || burst < 1 || perSecond < 1) {
                throw new IllegalArgumentException("audit limits are too small");
            }
        }
    }

    /** Opens (creating) the log for appending, with the default limits. */
    public AuditLog(Path file) throws IOException {
        this(file, Limits.DEFAULT, Clock.systemUTC());
    }

    /** Opens (creating) the log for appending. */
    public AuditLog(Path file, Limits limits, Clock clock) throws IOException {
        this.file = file.toAbsolutePath();
        this.limits = limits;
        this.clock = clock;
        this.tokens = limits.burst();
        this.refilled = clock.instant();
        this.chain = new RecordChain(this.file, limits.fileBytes(), limits.keptFiles());
        reserveRoomForTheMarker();
        // the host's lines (lifecycle) reach the listeners too, as this log sees them
        chain.onOthersLines(line -> lineListeners.forEach(listener -> listener.accept(line)));
    }

    /** Hands the bottle's first alert, once, to {@code listener} too. */
    public void onFirstAlert(java.util.function.Consumer<AuditRecord> listener) {
        onFirstAlert.add(listener);
    }

    /** Appends one line, unless it is a refusal or a notification past the rate: then it is counted. */
    public void write(AuditRecord record) {
        if (record.decision().equals("alert")) {
            markTainted(record);
        }
        try {
            String line = line(record);
            java.util.Optional<String> sort = record.summarisedAs();
            synchronized (this) {
                Instant now = clock.instant();
                if (sort.isPresent()) {
                    refill(now);
                    if (tokens < 1) {
                        dropped.add(record, sort.get(), now);
                        return;
                    }
                    tokens -= 1;
                }
                if (!dropped.isEmpty()) {
                    append(JSON.writeValueAsString(dropped.summary(now, limits.perSecond())));
                }
                append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log", e);
        }
    }

    /** Appends one line of another shape than an audit record's (a metered call's, say); never dropped. */
    public void write(java.util.Map<String, Object> fields) {
        try {
            String line = JSON.writeValueAsString(fields);
            synchronized (this) {
                append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log", e);
        }
    }

    /** The record as a line, its texts cut when it would pass {@link #LINE_BYTES}. */
    private static String line(AuditRecord record) throws IOException {
        String line = JSON.writeValueAsString(record);
        for (int i = 0; i < FITTED_CHARS.length && !fits(line); i++) {
            line = JSON.writeValueAsString(record.fitted(FITTED_CHARS[i]));
        }
        return line;
    }

    private static boolean fits(String line) {
        return line.length() * 3L <= LINE_BYTES || line.getBytes(StandardCharsets.UTF_8).length <= LINE_BYTES;
    }

    /** Leaves the marker at the first alert; a marker already there (a restarted bundle's) stays. */
    private void markTainted(AuditRecord record) {
        boolean first;
        synchronized (this) {
            first = !alerted;
            alerted = true;
            if (!marked) {
                marked = writeMarker(record);
            }
        }
        if (first) {
            onFirstAlert.forEach(listener -> listener.accept(record));
        }
    }

    /**
     * Writes the marker unless one is there, into the room kept for it: the kept file is written over
     * in place (which takes no new room), cut to the marker's length and renamed, so neither a full
     * disk nor lines appended meanwhile can take that room first. Whether the marker is there.
     */
    private boolean writeMarker(AuditRecord record) {
        Path marker = file.resolveSibling(AlertMarker.FILE);
        if (Files.exists(marker)) {
            return true;
        }
        String reason = record.reason().length() > MARKER_REASON_CHARS
                ? record.reason().substring(0, MARKER_REASON_CHARS) + "…" : record.reason();
        try {
            byte[] json = JSON.writeValueAsBytes(new AlertMarker(record.time(), record.rule(), reason).toJson());
            Path reserve = file.resolveSibling(MARKER_RESERVE);
            Path aside = file.resolveSibling("." + AlertMarker.FILE + ".tmp");
            if (Files.exists(reserve)) {
                try (var channel = java.nio.channels.FileChannel.open(reserve, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.write(java.nio.ByteBuffer.wrap(json), 0);
                    channel.truncate(json.length);
                    channel.force(true);
                }
                Files.move(reserve, marker, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.write(aside, json);
                Files.move(aside, marker, StandardCopyOption.ATOMIC_MOVE);
            }
            return true;
        } catch (IOException e) {
            // the alert itself is still written to the log, and the next alert tries the marker again
            return false;
        }
    }

    /**
     * Keeps room on the record's disk for the alert marker: a file the marker's write deletes first.
     * A guest that fills the disk (the host's, through whatever it can write) cannot so stop the
     * host from seeing the bottle tainted, or {@code on_alert: stop} from firing.
     */
    private void reserveRoomForTheMarker() {
        Path reserve = file.resolveSibling(MARKER_RESERVE);
        try {
            if (!Files.exists(file.resolveSibling(AlertMarker.FILE)) && !Files.exists(reserve)) {
                Files.write(reserve, new byte[MARKER_RESERVE_BYTES]);
            }
        } catch (IOException e) {
            // a disk already full: the marker's write is tried all the same
        }
    }

    private void refill(Instant now) {
        double seconds = Duration.between(refilled, now).toNanos() / 1e9;
        if (seconds > 0) {
            tokens = Math.min(limits.burst(), tokens + seconds * limits.perSecond());
            refilled = now;
        }
    }

    private void append(String line) throws IOException {
        String written = chain.append(line);
        lineListeners.forEach(listener -> listener.accept(written));
    }

    /** Hands every line written from now on, as written, to {@code listener} too (the record's export). */
    public void onLine(java.util.function.Consumer<String> listener) {
        lineListeners.add(listener);
    }

    /** Closes the log, saying first how many lines were dropped since the last one written, if any were. */
    @Override
    public synchronized void close() throws IOException {
        if (!dropped.isEmpty()) {
            append(JSON.writeValueAsString(dropped.summary(clock.instant(), limits.perSecond())));
        }
        chain.close();
    }
}
