package dev.claudebottle.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Manifests;
import dev.claudebottle.contract.AlertMarker;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.Wire;
import dev.claudebottle.spi.command.InertText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host's side of every bottle's approval queue ({@code <bottle dir>/supervise}): lists the
 * requests and notifications the bundles filed and writes the human's decisions. A decision file
 * is linked into place only if none exists, so a decision and the bundle's timeout never both
 * stand, and deciding twice is refused.
 */
public final class ApprovalBoard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path bottlesDir;
    private final Clock clock;
    private final Optional<Manifests> manifests;

    /**
     * One request as the host sees it.
     *
     * @param asker   who asked: the gateway, the git gate, or the agent (whose text all of it is)
     * @param state   where it stands
     * @param scope   what an approval covers, once decided
     * @param revoked whether a person withdrew its approval
     * @param egress  what the gateway showed, for a question about a host
     * @param decision who decided it and when, once decided
     */
    public record Request(String id, String slug, ApprovalQueueFiles.Asker asker, String title, String details,
                          String kind, ApprovalQueueFiles.State state, String reason, ApprovalQueueFiles.Scope scope,
                          boolean revoked,
                          Instant createdAt, Instant expiresAt, Optional<ApprovalQueueFiles.Egress> egress,
                          Optional<ApprovalQueueFiles.Decision> decision) {
        /** Whether it waits for a person. */
        public boolean pending() {
            return state == ApprovalQueueFiles.State.PENDING;
        }

        /**
         * What it asks, in one line as a person reads it: the request and where the host pointed for
         * the gateway's, the title for the git gate's, and the title marked as the agent's own words
         * for the agent's. Guest text in it is not yet made inert.
         */
        public String shown() {
            return switch (asker) {
                case GATEWAY -> egress.map(e -> e.request() + ", " + e.resolved()).orElse(title);
                case GIT_GATE -> title;
                case AGENT -> "the agent asks: " + title;
            };
        }
    }

    /** One notification an agent left. */
    public record Notification(String id, String slug, String message, Instant createdAt) {
    }

    /**
     * What a decision did.
     *
     * @param request   the request, decided
     * @param savedInto the manifest file an approval for the manifest's scope changed
     */
    public record Decided(Request request, Optional<Path> savedInto) {
    }

    /** The board over the bottle state dirs under {@code bottlesDir}; it saves nothing into manifests. */
    public ApprovalBoard(Path bottlesDir, Clock clock) {
        this(bottlesDir, clock, Optional.empty());
    }

    /** The board, saving hosts approved for the manifest's scope through {@code manifests}. */
    public ApprovalBoard(Path bottlesDir, Clock clock, Optional<Manifests> manifests) {
        this.bottlesDir = bottlesDir;
        this.clock = clock;
        this.manifests = manifests;
    }

    /** Every request of every bottle, oldest first. */
    public List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (Path queue : queues()) {
            for (Object r : files(queue.resolve(ApprovalQueueFiles.REQUESTS))) {
                out.add(request(queue, ApprovalQueueFiles.Request.fromJson(r)));
            }
        }
        out.sort(Comparator.comparing(Request::createdAt).thenComparing(Request::id));
        return out;
    }

    /** Every notification of every bottle, oldest first. */
    public List<Notification> notifications() {
        List<Notification> out = new ArrayList<>();
        for (Path queue : queues()) {
            for (Object tree : files(queue.resolve(ApprovalQueueFiles.NOTIFICATIONS))) {
                var n = ApprovalQueueFiles.Notification.fromJson(tree);
                out.add(new Notification(n.id(), n.slug(), n.message(), n.createdAt()));
            }
        }
        out.sort(Comparator.comparing(Notification::createdAt).thenComparing(Notification::id));
        return out;
    }

    /** The first alert of every bottle that raised one (its bundle's marker beside the audit log), by slug. */
    public java.util.Map<String, AlertMarker> alerts() {
        java.util.Map<String, AlertMarker> out = new java.util.TreeMap<>();
        if (!Files.isDirectory(bottlesDir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(bottlesDir)) {
            for (Path dir : dirs.toList()) {
                String slug = dir.getFileName().toString();
                // the record of a running bottle, beside the bottles folder as BottlePaths lays it out
                new RecordDir(bottlesDir.resolveSibling("records").resolve(slug), slug).alert()
                        .ifPresent(alert -> out.put(slug, alert));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + bottlesDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Approves or denies a pending request for the bottle's scope. */
    public Request decide(String id, boolean approve, String reason) {
        return decide(id, approve, reason, ApprovalQueueFiles.Scope.BOTTLE).request();
    }

    /**
     * Approves or denies a pending request; an unknown id or scope is bad input, a decided request
     * a failure. The scope says what an approval of a host covers; for the manifest's scope the
     * host is saved into the bottle's manifest once the approval stands (a manifest is never wider
     * than what was approved), and a save that then fails says the approval holds for the bottle.
     */
    public Decided decide(String id, boolean approve, String reason, ApprovalQueueFiles.Scope scope) {
        Path queue = queueOf(id);
        var filed = filed(queue, id);
        Request current = request(queue, filed);
        if (!current.pending()) {
            throw new BottleException("request " + id + " of " + current.slug() + " is already "
                    + Wire.name(current.state()),
                    "bottle supervise ls shows every request and its state");
        }
        boolean saving = approve && scope == ApprovalQueueFiles.Scope.MANIFEST;
        Optional<ApprovalQueueFiles.Egress> toSave = saving ? Optional.of(saveable(filed)) : Optional.empty();
        var decision = new ApprovalQueueFiles.Decision(id, approve ? ApprovalQueueFiles.State.APPROVED
                : ApprovalQueueFiles.State.DENIED, reason, clock.instant(), ApprovalQueueFiles.DecidedBy.HOST, scope);
        try {
            if (!ApprovalQueueFiles.place(queue, decision, JSON::writeValueAsBytes)) {
                throw new BottleException("request " + id + " was decided meanwhile: "
                        + Wire.name(request(queue, filed).state()), "bottle supervise ls shows every request and its state");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decision on " + id + ": " + e.getMessage(), e);
        }
        Optional<Path> saved = Optional.empty();
        if (toSave.isPresent()) {
            try {
                saved = Optional.of(manifests.orElseThrow().allowHost(filed.slug(), toSave.get().host(),
                        toSave.get().port(), "approved through bottle supervise (request " + filed.id() + ")"));
            } catch (BottleException e) {
                throw new BottleException("request " + id + " is approved for the bottle, but " + toSave.get().where()
                        + " was not saved into the manifest: " + e.getMessage(), e.hint().orElse(
                        "add the host to the manifest by hand"));
            }
        }
        return new Decided(request(queue, filed), saved);
    }

    /**
     * Withdraws the approval of a request for the bottle: from then on the gateway asks again about
     * its host. What was saved into a manifest stays there; the person is told where.
     */
    public Request revoke(String id, String reason) {
        Path queue = queueOf(id);
        var filed = filed(queue, id);
        Request current = request(queue, filed);
        boolean approved = current.state() == ApprovalQueueFiles.State.APPROVED;
        if (current.asker() != ApprovalQueueFiles.Asker.GATEWAY || !approved
                || current.scope() == ApprovalQueueFiles.Scope.REQUEST) {
            throw new BadInputException("request " + id + " of " + current.slug() + " granted nothing that lasts ("
                    + Wire.name(current.state()) + (approved ? " for " + Wire.name(current.scope()) : "") + ")",
                    "only a host approved for the bottle or the manifest can be revoked");
        }
        if (current.revoked()) {
            throw new BottleException("request " + id + " of " + current.slug() + " is already revoked",
                    "bottle supervise ls --all shows every request and its state");
        }
        var revocation = new ApprovalQueueFiles.Revocation(id, clock.instant(), reason);
        try {
            ApprovalQueueFiles.write(Files.createDirectories(queue.resolve(ApprovalQueueFiles.REVOKED)), id,
                JSON.writeValueAsBytes(revocation.toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the revocation of " + id + ": " + e.getMessage(), e);
        }
        return request(queue, filed);
    }

    /**
     * What of a gateway's question can be saved into its bottle's manifest, as public only: what was
     * approved while the host resolved publicly. A host shown at private addresses is not saved,
     * since a rule naming it would let it resolve anywhere.
     */
    private ApprovalQueueFiles.Egress saveable(ApprovalQueueFiles.Request filed) {
        ApprovalQueueFiles.Egress egress = filed.egress().filter(e -> filed.asker() == ApprovalQueueFiles.Asker.GATEWAY)
                .orElseThrow(() -> new BadInputException("request " + filed.id() + " is not the gateway's question "
                        + "about a host (asked by " + filed.asker().wire() + ", kind " + InertText.of(filed.kind()) + ")",
                        "--scope manifest applies to the gateway's questions about hosts"));
        if (egress.privateNetwork()) {
            throw new BadInputException("request " + filed.id() + " is about " + egress.where() + ", shown at "
                    + "private-network addresses, which a manifest rule cannot keep to",
                    "approve with --scope bottle, or name the host in the manifest by hand if it may resolve "
                            + "anywhere");
        }
        if (manifests.isEmpty()) {
            throw new BottleException("this command cannot change manifests", "approve with --scope bottle");
        }
        return egress;
    }

    private ApprovalQueueFiles.Request filed(Path queue, String id) {
        Path file = queue.resolve(ApprovalQueueFiles.REQUESTS).resolve(ApprovalQueueFiles.fileName(id));
        Object tree = read(file);
        if (tree == null) {
            throw new BottleException("request " + id + " cannot be read", "bottle supervise ls shows every request");
        }
        return ApprovalQueueFiles.Request.fromJson(tree);
    }

    private Path queueOf(String id) {
        if (!id.matches("[0-9a-f]{4,32}")) {
            throw new BadInputException("'" + id + "' is not a request id", "bottle supervise ls shows the ids");
        }
        for (Path queue : queues()) {
            if (Files.exists(queue.resolve(ApprovalQueueFiles.REQUESTS).resolve(ApprovalQueueFiles.fileName(id)))) {
                return queue;
            }
        }
        throw new BadInputException("no bottle has a request " + id, "bottle supervise ls shows the ids");
    }

    private Request request(Path queue, ApprovalQueueFiles.Request r) {
        Optional<ApprovalQueueFiles.Decision> decision = Optional.of(queue.resolve(ApprovalQueueFiles.DECISIONS)
                .resolve(ApprovalQueueFiles.fileName(r.id()))).filter(Files::exists).map(this::read)
                .map(ApprovalQueueFiles.Decision::fromJson);
        ApprovalQueueFiles.State state = decision.map(ApprovalQueueFiles.Decision::state).orElse(
                r.expiresAt().isAfter(clock.instant()) ? ApprovalQueueFiles.State.PENDING : ApprovalQueueFiles.State.EXPIRED);
        String reason = decision.map(ApprovalQueueFiles.Decision::reason).orElse("");
        ApprovalQueueFiles.Scope scope = decision.map(ApprovalQueueFiles.Decision::scope)
                .orElse(ApprovalQueueFiles.Scope.BOTTLE);
        boolean revoked = Files.exists(queue.resolve(ApprovalQueueFiles.REVOKED)
                .resolve(ApprovalQueueFiles.fileName(r.id())));
        return new Request(r.id(), r.slug(), r.asker(), r.title(), r.details(), r.kind(), state, reason, scope,
                revoked, r.createdAt(), r.expiresAt(), r.egress(), decision);
    }

    private List<Path> queues() {
        if (!Files.isDirectory(bottlesDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(bottlesDir)) {
            return dirs.map(d -> d.resolve(ApprovalQueueFiles.HOST_DIR)).filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + bottlesDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files of a queue folder as JSON trees, in bounded memory: at most twice what a bundle
     * keeps in a folder (the newest), each at most the size a bundle writes; anything else was not
     * written by a bundle and is passed over unread.
     */
    private List<Object> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> names;
        try (Stream<Path> files = Files.list(dir)) {
            // files being written are named with a leading dot and appear whole when moved in
            names = files.filter(f -> !f.getFileName().toString().startsWith(".")
                    && f.getFileName().toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (names.size() > 2 * ApprovalQueueFiles.MAX_FILES) {
            names = names.stream().sorted(Comparator.comparing(ApprovalBoard::modified).reversed())
                    .limit(2L * ApprovalQueueFiles.MAX_FILES).toList();
        }
        List<Object> out = new ArrayList<>();
        for (Path file : names) {
            Object tree = read(file);
            if (tree != null) {
                out.add(tree);
            }
        }
        return out;
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /** A queue file's JSON tree; null for one too large to be a bundle's, or gone meanwhile. */

    private Object read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > ApprovalQueueFiles.MAX_FILE_BYTES) {
                return null;
            }
            return JSON.readValue(file.toFile(), Object.class);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
