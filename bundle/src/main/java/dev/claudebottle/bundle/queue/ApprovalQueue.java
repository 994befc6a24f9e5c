package dev.claudebottle.bundle.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.ApprovalQueueFiles.Asker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>The agent files questions and notifications at will, so the queue bounds what it keeps on the
 * host: texts are bounded in length, the agent has at most {@link #MAX_OPEN_AGENT} questions open,
 * each folder keeps at most {@link ApprovalQueueFiles#MAX_FILES} files (the oldest decided
 * requests and the oldest notifications make room; the record keeps them all), and the agent's
 * filings are rate-limited by a {@link FilingRate}.
 */
public final class ApprovalQueue {
    /** Questions of the agent's own open at once, beyond which it is refused until one is decided. */
    public static final int MAX_OPEN_AGENT = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path requests;
    private final Path decisions;
    private final Path notifications;
    private final Path revoked;
    private final String slug;
    private final Clock clock;
    private final FilingRate agentRate;

    /** Why the queue took no more from the agent: too many open, too many too fast, or too long a text. */
    public static final class Refused extends Exception {
        /** Refused for {@code reason}, which the agent reads. */
        public Refused(String reason) {
            super(reason);
        }
    }

    /**
     * A question to file.
     *
     * @param asker   who asks
     * @param title   one line
     * @param details more of it
     * @param kind    what sort of thing is asked about
     * @param target  what the host acts on when it decides, if anything
     * @param egress  what the gateway shows about a host, for its questions
     */
    public record Question(Asker asker, String title, String details, String kind, Optional<String> target,
                           Optional<ApprovalQueueFiles.Egress> egress) {
        /** Requires every part. */
        public Question {
            Objects.requireNonNull(asker, "asker");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(details, "details");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(egress, "egress");
        }

        /** The agent's own question, about nothing the host acts on. */
        public static Question ofAgent(String title, String details, String kind) {
            return new Question(Asker.AGENT, title, details, kind, Optional.empty(), Optional.empty());
        }
    }

    /** What a request is waiting for: its id and when it expires. */
    public record Pending(String id, Instant expiresAt, boolean resumed) {
    }

    /**
     * How a request ended.
     *
     * @param id     the request
     * @param state  how it was decided
     * @param reason the human's reason, or why it expired
     * @param scope  what an approval covers
     * @param by     who decided
     * @param decidedAt when
     */
    public record Outcome(String id, ApprovalQueueFiles.State state, String reason, ApprovalQueueFiles.Scope scope,
                          ApprovalQueueFiles.DecidedBy by, Instant decidedAt) {
        /** Whether the agent may go ahead. */
        public boolean approved() {
            return state == ApprovalQueueFiles.State.APPROVED;
        }
    }

    /** The queue in {@code dir} for bottle {@code slug}; its folders are created when missing. */
    public ApprovalQueue(Path dir, String slug, Clock clock) throws IOException {
        this(dir, slug, clock, FilingRate.perMinute(FilingRate.DEFAULT_PER_MINUTE, clock));
    }

    /** As the public constructor, with the agent's filing rate. */
    ApprovalQueue(Path dir, String slug, Clock clock, FilingRate agentRate) throws IOException {
        this.requests = Files.createDirectories(dir.resolve(ApprovalQueueFiles.REQUESTS));
        this.decisions = Files.createDirectories(dir.resolve(ApprovalQueueFiles.DECISIONS));
        this.notifications = Files.createDirectories(dir.resolve(ApprovalQueueFiles.NOTIFICATIONS));
        this.revoked = dir.resolve(ApprovalQueueFiles.REVOKED);
        this.slug = slug;
        this.clock = clock;
        this.agentRate = agentRate;
    }

    /**
     * Files a question, or returns the undecided one asked the same way (an asker asking again after
     * a bundle restart waits for the same decision).
     *
     * @throws Refused when the agent asks with too long a text, too often or with too many open
     */
    public synchronized Pending submit(Question q, Duration timeout) throws IOException, Refused {
        if (q.asker() == Asker.AGENT) {
            checkLength("the title", q.title(), ApprovalQueueFiles.MAX_TITLE);
            checkLength("the details", q.details(), ApprovalQueueFiles.MAX_TEXT);
            checkLength("the kind", q.kind(), ApprovalQueueFiles.MAX_KIND);
        }
        String key = key(q);
        List<ApprovalQueueFiles.Request> filed = list(requests, ApprovalQueueFiles.Request::fromJson);
        for (ApprovalQueueFiles.Request r : filed) {
            if (key.equals(r.key()) && undecided(r)) {
                return new Pending(r.id(), r.expiresAt(), true);
            }
        }
        if (q.asker() == Asker.AGENT) {
            long open = filed.stream().filter(r -> r.asker() == Asker.AGENT && undecided(r)).count();
            if (open >= MAX_OPEN_AGENT) {
                throw new Refused(MAX_OPEN_AGENT + " of your requests already wait for a person; wait for an "
                        + "answer before asking again");
            }
            agentRate.take("requests");
        }
        makeRoom(requests, filed.size(), decidedOldestFirst(filed));
        String id = HexFormat.of().formatHex(bytes(4));
        Instant now = clock.instant();
        Instant expires = now.plus(timeout);
        writeAtomically(requests, id, new ApprovalQueueFiles.Request(id, slug, q.asker(), q.title(), q.details(),
                q.kind(), now, expires, key, q.target(), q.egress()).toJson());
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

    /** Whether a person withdrew the approval of request {@code id}. */
    public boolean revoked(String id) {
        return Files.exists(revoked.resolve(ApprovalQueueFiles.fileName(id)));
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

    /** Records that nobody decided in time, unless a person decided first; a timeout is a deny. */
    public Outcome expire(String id) throws IOException {
        ApprovalQueueFiles.place(decisions.getParent(), new ApprovalQueueFiles.Decision(id,
                ApprovalQueueFiles.State.EXPIRED, "no decision before the timeout; a timeout is a deny", clock.instant(),
                ApprovalQueueFiles.DecidedBy.TIMEOUT), JSON::writeValueAsBytes);
        return decision(id).orElseThrow();
    }

    /** Expires every undecided request whose deadline has passed; returns how many. */
    public synchronized int expireOverdue() throws IOException {
        int expired = 0;
        for (ApprovalQueueFiles.Request r : list(requests, ApprovalQueueFiles.Request::fromJson)) {
            if (decision(r.id()).isEmpty() && !r.expiresAt().isAfter(clock.instant())) {
                expire(r.id());
                expired++;
            }
        }
        return expired;
    }

    /**
     * Files a notification for the human.
     *
     * @throws Refused when the message is too long or the agent sends them too fast
     */
    public synchronized String notify(String message) throws IOException, Refused {
        checkLength("the message", message, ApprovalQueueFiles.MAX_TEXT);
        agentRate.take("notifications");
        List<ApprovalQueueFiles.Notification> kept = list(notifications, ApprovalQueueFiles.Notification::fromJson);
        makeRoom(notifications, kept.size(), kept.stream()
                .sorted(Comparator.comparing(ApprovalQueueFiles.Notification::createdAt))
                .map(ApprovalQueueFiles.Notification::id).toList());
        String id = HexFormat.of().formatHex(bytes(4));
        writeAtomically(notifications, id, new ApprovalQueueFiles.Notification(id, slug, message, clock.instant())
                .toJson());
        return id;
    }

    /** What the agent's filings have had refused for their rate since this was last asked, then none. */
    public FilingRate.Dropped droppedSinceLastAsked() {
        return agentRate.drain();
    }

    private boolean grantHolds(ApprovalQueueFiles.Request r) {
        try {
            return r.asker() == Asker.GATEWAY && !revoked(r.id()) && decision(r.id()).filter(Outcome::approved)
                    .filter(o -> o.scope() != ApprovalQueueFiles.Scope.REQUEST).isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    private boolean undecided(ApprovalQueueFiles.Request r) {
        try {
            return decision(r.id()).isEmpty() && r.expiresAt().isAfter(clock.instant());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The requests that may make room, oldest first: decided ones, but never a grant that still
     * holds (a host approved for the bottle and not revoked), which a person must be able to see
     * and revoke however much the agent files meanwhile.
     */
    private List<String> decidedOldestFirst(List<ApprovalQueueFiles.Request> filed) {
        return filed.stream().filter(r -> !undecided(r) && !grantHolds(r))
                .sorted(Comparator.comparing(ApprovalQueueFiles.Request::createdAt))
                .map(ApprovalQueueFiles.Request::id).toList();
    }

    /** Removes the first of {@code removable} until the folder has room for one more file. */
    private void makeRoom(Path dir, int count, List<String> removable) throws IOException {
        int excess = count - (ApprovalQueueFiles.MAX_FILES - 1);
        for (int i = 0; i < excess && i < removable.size(); i++) {
            String id = removable.get(i);
            Files.deleteIfExists(dir.resolve(ApprovalQueueFiles.fileName(id)));
            if (dir.equals(requests)) {
                Files.deleteIfExists(decisions.resolve(ApprovalQueueFiles.fileName(id)));
            }
        }
        if (excess > removable.size()) {
            throw new IOException(dir.getFileName() + " is full of open requests");
        }
    }

    private static void checkLength(String what, String text, int max) throws Refused {
        if (text.length() > max) {
            throw new Refused(what + " is " + text.length() + " characters long; at most " + max + " are kept");
        }
    }

    private static void writeAtomically(Path dir, String id, Object value) throws IOException {
        ApprovalQueueFiles.write(dir, id, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    /** Every whole file of a folder as its record; files too large to be this build's are passed over. */
    private static <T> List<T> list(Path dir, Function<Object, T> fromJson) throws IOException {
        List<T> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                if (Files.size(file) <= ApprovalQueueFiles.MAX_FILE_BYTES) {
                    out.add(read(file, fromJson));
                }
            }
        }
        return out;
    }

    /** A queue file as its record; one that is not what this build writes fails like an unreadable one. */
    private static <T> T read(Path file, Function<Object, T> fromJson) throws IOException {
        try {
            return fromJson.apply(JSON.readValue(file.toFile(), Object.class));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String key(Question q) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {q.asker().wire(), q.title(), q.details(), q.kind(),
                    q.target().orElse(""), q.egress().map(e -> e.toJson().toString()).orElse("")}) {
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
