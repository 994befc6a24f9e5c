package dev.claudebottle.bundle.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.bundle.ApprovalQueueFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The bundle's side of the approval queue, a folder the host shares with the bundle:
 * {@code requests/<id>.json} written here, {@code decisions/<id>.json} written by the host
 * ({@code bottle supervise approve|deny}) or here when a request times out, and
 * {@code notifications/<id>.json}. Every file appears whole (written aside, then moved or linked
 * in), and a decision is created only if none exists, so the host and a timeout cannot both
 * decide. Everything lives in files, so a restarted bundle picks up where it left.
 */
public final class ApprovalQueue {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path requests;
    private final Path decisions;
    private final Path notifications;
    private final String slug;
    private final Clock clock;

    /** What a request is waiting for: its id and when it expires. */
    public record Pending(String id, Instant expiresAt, boolean resumed) {
    }

    /**
     * How a request ended.
     *
     * @param id     the request
     * @param state  {@code approved}, {@code denied} or {@code expired}
     * @param reason the human's reason, or why it expired
     * @param scope  what an approval covers (see {@link ApprovalQueueFiles#SCOPES})
     * @param by     who decided: {@code host} (a person) or {@code timeout}
     * @param decidedAt when
     */
    public record Outcome(String id, String state, String reason, String scope, String by, Instant decidedAt) {
        /** Whether the agent may go ahead. */
        public boolean approved() {
            return state.equals(ApprovalQueueFiles.APPROVED);
        }
    }

    /** The queue in {@code dir} for bottle {@code slug}; its folders are created when missing. */
    public ApprovalQueue(Path dir, String slug, Clock clock) throws IOException {
        this.requests = Files.createDirectories(dir.resolve(ApprovalQueueFiles.REQUESTS));
        this.decisions = Files.createDirectories(dir.resolve(ApprovalQueueFiles.DECISIONS));
        this.notifications = Files.createDirectories(dir.resolve(ApprovalQueueFiles.NOTIFICATIONS));
        this.slug = slug;
        this.clock = clock;
    }

    /**
     * Files a request, or returns the undecided one with the same title, details and kind (the
     * agent asking again after a bundle restart waits for the same decision).
     */
    public Pending submit(String title, String details, String kind, Duration timeout) throws IOException {
        return submit(title, details, kind, Optional.empty(), timeout);
    }

    /** Files a request about {@code target}, something the host acts on when it decides (see the record's). */
    public synchronized Pending submit(String title, String details, String kind, Optional<String> target,
                                       Duration timeout) throws IOException {
        String key = key(title, details, kind);
        Optional<Pending> open = undecided(key);
        if (open.isPresent()) {
            return open.get();
        }
        String id = HexFormat.of().formatHex(bytes(4));
        Instant now = clock.instant();
        Instant expires = now.plus(timeout);
        writeAtomically(requests, id, new ApprovalQueueFiles.Request(id, slug, title, details, kind, now, expires, key,
                target)
                .toJson());
        return new Pending(id, expires, false);
    }

    /** The decision on a request, if there is one. */
    public Optional<Outcome> decision(String id) throws IOException {
        Path file = decisions.resolve(ApprovalQueueFiles.fileName(id));
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ApprovalQueueFiles.Decision d = read(file, ApprovalQueueFiles.Decision::fromJson);
        return Optional.of(new Outcome(id, d.state(), d.reason(), d.scope(), d.by(), d.decidedAt()));
    }

    /**
     * Waits for the decision, checking every {@code poll}; at the deadline the request expires,
     * unless the host decided at the same moment, whose decision then stands.
     */
    public Outcome await(Pending pending, Duration poll) throws IOException, InterruptedException {
        while (true) {
            Optional<Outcome> decided = decision(pending.id());
            if (decided.isPresent()) {
                return decided.get();
            }
            Duration left = Duration.between(clock.instant(), pending.expiresAt());
            if (left.isNegative() || left.isZero()) {
                return expire(pending.id());
            }
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left.toMillis())));
        }
    }

    /** Records that nobody decided in time; a timeout is a deny. */
    public Outcome expire(String id) throws IOException {
        var decision = new ApprovalQueueFiles.Decision(id, ApprovalQueueFiles.EXPIRED,
                "no decision before the timeout; a timeout is a deny", clock.instant(), "timeout");
        Path aside = decisions.resolve("." + id + ".expired." + HexFormat.of().formatHex(bytes(4)));
        Files.write(aside, JSON.writeValueAsBytes(decision.toJson()));
        try {
            Files.createLink(decisions.resolve(ApprovalQueueFiles.fileName(id)), aside);
        } catch (FileAlreadyExistsException e) {
            // the host decided first; its decision stands
        } finally {
            Files.deleteIfExists(aside);
        }
        return decision(id).orElseThrow();
    }

    /** Expires every undecided request whose deadline has passed; returns how many. */
    public synchronized int expireOverdue() throws IOException {
        int expired = 0;
        try (Stream<Path> files = Files.list(requests)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                ApprovalQueueFiles.Request r = read(file, ApprovalQueueFiles.Request::fromJson);
                if (decision(r.id()).isEmpty() && !r.expiresAt().isAfter(clock.instant())) {
                    expire(r.id());
                    expired++;
                }
            }
        }
        return expired;
    }

    /** Files a notification for the human. */
    public String notify(String message) throws IOException {
        String id = HexFormat.of().formatHex(bytes(4));
        writeAtomically(notifications, id, new ApprovalQueueFiles.Notification(id, slug, message, clock.instant())
                .toJson());
        return id;
    }

    private Optional<Pending> undecided(String key) throws IOException {
        try (Stream<Path> files = Files.list(requests)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                ApprovalQueueFiles.Request r = read(file, ApprovalQueueFiles.Request::fromJson);
                if (key.equals(r.key()) && decision(r.id()).isEmpty() && r.expiresAt().isAfter(clock.instant())) {
                    return Optional.of(new Pending(r.id(), r.expiresAt(), true));
                }
            }
        }
        return Optional.empty();
    }

    private static void writeAtomically(Path dir, String id, Object value) throws IOException {
        Path aside = dir.resolve("." + id + ".tmp");
        Files.write(aside, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        Files.move(aside, dir.resolve(ApprovalQueueFiles.fileName(id)), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A queue file as its record; one that is not what this build writes fails like an unreadable one. */
    private static <T> T read(Path file, Function<Object, T> fromJson) throws IOException {
        try {
            return fromJson.apply(JSON.readValue(file.toFile(), Object.class));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String key(String title, String details, String kind) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {title, details, kind}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
