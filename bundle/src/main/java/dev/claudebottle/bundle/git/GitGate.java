package dev.claudebottle.bundle.git;

import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.bundle.trust.SecretScanner;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.DaemonClient;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UnpackErrorHandler;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

/**
 * The git gate: a git:// daemon serving one mirror per declared upstream. A fetch refreshes the
 * mirror from upstream first; a push passes the repo's push policy and the DLP scan, then goes
 * upstream, and only what upstream took lands in the mirror: a push is received into a quarantine
 * of its own, within the push limits, and anything refused leaves nothing on disk. At most
 * {@link #MAX_OPEN_ASKS} pushes wait for a person at once. Every fetch and every pushed ref is
 * audited.
 */
public final class GitGate implements AutoCloseable {
    /** How long a refreshed mirror serves fetches before upstream is asked again. */
    static final Duration FRESHNESS = Duration.ofSeconds(5);
    /** Pushes waiting for a person at once, beyond which a push outside the globs is refused without asking. */
    static final int MAX_OPEN_ASKS = 8;
    private final Map<String, Mirror> mirrors = new LinkedHashMap<>();
    private final PushScanner scanner;
    private final AuditLog audit;
    private final DaemonLog log;
    private final String slug;
    private final Daemon daemon;
    private final Optional<ApprovalQueue> queue;
    private final Duration askTimeout;
    private final PushLimits limits;
    private final Semaphore asking = new Semaphore(MAX_OPEN_ASKS);

    /** A gate for {@code repos}, keeping mirrors under {@code dataDir}, listening on {@code address}. */
    public GitGate(List<GateRepo> repos, Path dataDir, SecretScanner dlp, AuditLog audit, DaemonLog log, String slug,
                   InetSocketAddress address) {
        this(repos, dataDir, dlp, audit, log, slug, address, Clock.systemUTC(), Optional.empty(), Duration.ZERO,
                PushLimits.DEFAULT);
    }

    /**
     * A gate that asks a person through {@code queue}, waiting up to {@code askTimeout}, about a push
     * outside a repo's {@code push} when the repo says {@code push_unknown: ask}.
     */
    public GitGate(List<GateRepo> repos, Path dataDir, SecretScanner dlp, AuditLog audit, DaemonLog log, String slug,
                   InetSocketAddress address, Optional<ApprovalQueue> queue, Duration askTimeout) {
        this(repos, dataDir, dlp, audit, log, slug, address, Clock.systemUTC(), queue, askTimeout, PushLimits.DEFAULT);
    }

    /** As the public constructors, with the clock that decides when a mirror is stale and the push limits. */
    GitGate(List<GateRepo> repos, Path dataDir, SecretScanner dlp, AuditLog audit, DaemonLog log, String slug,
            InetSocketAddress address, Clock clock, Optional<ApprovalQueue> queue, Duration askTimeout,
            PushLimits limits) {
        this.queue = queue;
        this.askTimeout = askTimeout;
        this.limits = limits;
        for (GateRepo repo : repos) {
            mirrors.put(repo.name(), new Mirror(repo, dataDir.resolve("mirrors"), FRESHNESS, clock));
        }
        this.scanner = new PushScanner(dlp, limits.maxObjectBytes());
        this.audit = audit;
        this.log = log;
        this.slug = slug;
        this.daemon = new Daemon(address);
        daemon.getService("git-receive-pack").setEnabled(true);
        daemon.setRepositoryResolver((client, name) -> {
            Mirror mirror = mirrors.get(mirrorName(name));
            if (mirror == null) {
                return unknown();
            }
            try {
                return mirror.open();
            } catch (IOException e) {
                throw new RepositoryNotFoundException(name, e);
            }
        });
        daemon.setUploadPackFactory(this::uploadPack);
        daemon.setReceivePackFactory(this::receivePack);
    }

    /** Starts listening, once what pushes in flight left when the gate last stopped is gone; returns the address. */
    public InetSocketAddress start() throws IOException {
        for (Mirror mirror : mirrors.values()) {
            mirror.clearQuarantine();
        }
        daemon.start();
        return daemon.getAddress();
    }

    private static String mirrorName(String path) {
        return path.replaceFirst("^/+", "").replaceFirst("\\.git/?$", "");
    }

    /**
     * What a name outside the config resolves to: an empty repository with every service switched
     * off, so the daemon closes the connection quietly (it does not expect a resolver to refuse).
     */
    private static Repository unknown() {
        Repository empty = new InMemoryRepository(new DfsRepositoryDescription("unknown"));
        empty.getConfig().setBoolean("daemon", null, "uploadpack", false);
        empty.getConfig().setBoolean("daemon", null, "receivepack", false);
        return empty;
    }

    /**
     * Refreshes the mirror before anything is sent, so the agent sees upstream as it is now. When
     * upstream cannot be reached, the agent's git gets an {@code ERR} line, which it prints as
     * "remote error: …", and the connection ends.
     */
    private UploadPack uploadPack(DaemonClient client, Repository db) throws ServiceNotEnabledException {
        Mirror mirror = mirrorOf(db);
        try {
            mirror.refresh();
            record(client, "git-fetch", "FETCH", mirror, "", "allow", "mirror refreshed from upstream");
        } catch (IOException | RuntimeException e) {
            record(client, "git-fetch", "FETCH", mirror, "", "error", e.getMessage());
            log.error("refreshing " + mirror.repo().name() + " from upstream failed: " + e.getMessage());
            sendError(client, "the git gate cannot reach the upstream of " + mirror.repo().name() + ": "
                    + e.getMessage());
            throw new ServiceNotEnabledException(e.getMessage(), e);
        }
        return new UploadPack(db);
    }

    private void sendError(DaemonClient client, String message) {
        try {
            PacketLineOut out = new PacketLineOut(client.getOutputStream());
            out.writeString("ERR " + message.replace('\n', ' ') + "\n");
            out.flush();
        } catch (IOException e) {
            log.error("could not tell the client why: " + e.getMessage());
        }
    }

    /**
     * A receive-pack into a quarantine of the push's own, bounded by the push limits. A push over a
     * limit is refused while it is received, with the limit and what to do.
     */
    private ReceivePack receivePack(DaemonClient client, Repository db) throws ServiceNotEnabledException {
        Mirror mirror = mirrorOf(db);
        Quarantine quarantine;
        try {
            quarantine = mirror.quarantine();
        } catch (IOException e) {
            log.error("cannot make room for a push to " + mirror.repo().name() + ": " + e.getMessage());
            sendError(client, "the git gate cannot receive a push to " + mirror.repo().name() + " now");
            throw new ServiceNotEnabledException(e.getMessage(), e);
        }
        PushPolicy policy = new PushPolicy(mirror.repo());
        ReceivePack rp = new QuarantinedReceivePack(quarantine);
        rp.setAllowDeletes(true);
        rp.setAllowNonFastForwards(true);
        rp.setMaxPackSizeLimit(limits.maxPackBytes());
        rp.setMaxObjectSizeLimit(limits.maxObjectBytes());
        UnpackErrorHandler jgit = rp.getUnpackErrorHandler();
        rp.setUnpackErrorHandler(error -> {
            Optional<String> over = limits.refusal(error);
            over.ifPresent(why -> rp.getAllCommands().forEach(c -> record(client, "git-push", "PUSH", mirror,
                    describe(c), "deny", why)));
            jgit.handleUnpackException(over.<Throwable>map(why -> new IOException(why, error)).orElse(error));
        });
        rp.setPreReceiveHook((pack, commands) -> decide(client, mirror, quarantine, policy, pack, commands));
        rp.setPostReceiveHook((pack, landed) -> {
            if (!landed.isEmpty()) {
                compact(mirror);
            }
        });
        return rp;
    }

    private void compact(Mirror mirror) {
        try {
            mirror.compact();
        } catch (IOException | RuntimeException e) {
            log.error(e.getMessage());
        }
    }

    /**
     * Refuses by policy, then by content, then pushes what is left upstream and places what upstream
     * took into the mirror; all before any ref moves.
     */
    private void decide(DaemonClient client, Mirror mirror, Quarantine quarantine, PushPolicy policy,
                        ReceivePack pack, Collection<ReceiveCommand> commands) {
        List<ReceiveCommand> passing = new ArrayList<>();
        for (ReceiveCommand c : commands) {
            Optional<PushPolicy.Refusal> refusal = policy.refusal(c);
            if (refusal.isEmpty()) {
                passing.add(c);
            } else if (refusal.get().askable() && mirror.repo().askUnknown()) {
                ask(client, mirror, c, refusal.get()).ifPresentOrElse(why -> refuse(client, mirror, c, why),
                        () -> passing.add(c));
            } else {
                refuse(client, mirror, c, refusal.get().reason());
            }
        }
        if (passing.isEmpty()) {
            return;
        }
        try {
            Optional<String> content = scanner.refusal(pack.getRepository(),
                    passing.stream().map(ReceiveCommand::getNewId).toList());
            if (content.isPresent()) {
                passing.forEach(c -> refuse(client, mirror, c, content.get()));
                return;
            }
            Map<ReceiveCommand, String> upstream = mirror.pushUpstream(pack.getRepository(), passing);
            passing.stream().filter(upstream::containsKey).forEach(c -> refuse(client, mirror, c, upstream.get(c)));
            passing.removeIf(upstream::containsKey);
        } catch (IOException | RuntimeException e) {
            log.error("pushing to the upstream of " + mirror.repo().name() + " failed: " + e.getMessage());
            passing.forEach(c -> refuse(client, mirror, c, "the git gate could not push upstream: " + e.getMessage()));
            return;
        }
        if (passing.isEmpty()) {
            return;
        }
        try {
            quarantine.admit();
            passing.forEach(c -> record(client, "git-push", "PUSH", mirror, describe(c), "allow", "pushed upstream"));
        } catch (IOException | RuntimeException e) {
            // upstream has it; the mirror is stale after a push, so the next fetch brings it from there
            log.error("keeping a push to " + mirror.repo().name() + " in its mirror failed: " + e.getMessage());
            passing.forEach(c -> refuse(client, mirror, c, "upstream took " + c.getRefName() + " but the git gate "
                    + "could not keep it: " + e.getMessage() + "; fetch to see it"));
        }
    }

    /**
     * Asks a person about a push outside {@code push} and waits; empty when approved (the push then
     * goes through content scanning like any other), else why it is refused.
     */
    private Optional<String> ask(DaemonClient client, Mirror mirror, ReceiveCommand c, PushPolicy.Refusal refusal) {
        if (queue.isEmpty()) {
            return Optional.of(refusal.reason() + " (this bundle has no approval queue to ask through)");
        }
        if (!asking.tryAcquire()) {
            return Optional.of(refusal.reason() + " (" + MAX_OPEN_ASKS + " pushes already wait for a person; push "
                    + "again once one is answered)");
        }
        try {
            return askPerson(client, mirror, c, refusal);
        } finally {
            asking.release();
        }
    }

    private Optional<String> askPerson(DaemonClient client, Mirror mirror, ReceiveCommand c,
                                       PushPolicy.Refusal refusal) {
        String branch = c.getRefName().substring(Constants.R_HEADS.length());
        String repo = mirror.repo().name();
        try {
            ApprovalQueue.Pending pending = queue.get().submit(new ApprovalQueue.Question(
                    ApprovalQueueFiles.Asker.GIT_GATE, "push " + branch + " to " + repo, "The agent pushes "
                    + describe(c) + " to " + repo + " (" + mirror.repo().upstream() + "), a branch outside its push "
                    + "globs (" + String.join(", ", mirror.repo().push()) + "). Approve to push it upstream.", "push",
                    Optional.of(repo + ":" + c.getRefName()), Optional.empty()), askTimeout);
            String asker = "git[" + repo + "] push_unknown: ask";
            audit.write(AuditRecord.approval(slug, "request", asker, pending.id(), pending.resumed() ? "resumed"
                    : "pending", "push " + describe(c) + " to " + repo));
            record(client, "git-push", "PUSH", mirror, describe(c), "ask", "waiting for a person (request "
                    + pending.id() + ")");
            ApprovalQueue.Outcome outcome = queue.get().await(pending, Duration.ofMillis(200));
            audit.write(AuditRecord.approval(slug, "decision", asker, pending.id(), Wire.name(outcome.state()),
                    AuditRecord.decided(Wire.name(outcome.by()), outcome.decidedAt(),
                        Wire.name(outcome.scope()), outcome.reason())));
            if (outcome.approved()) {
                return Optional.empty();
            }
            return Optional.of(outcome.state() == ApprovalQueueFiles.State.DENIED
                    ? "a person refused pushing to " + branch + (outcome.reason().isBlank() ? "" : ": "
                            + outcome.reason()) + " (request " + pending.id() + ")"
                    : "nobody decided on pushing to " + branch + " in time (request " + pending.id()
                            + "); a timeout is a refusal");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(refusal.reason() + " (the gate stopped asking)");
        } catch (IOException | ApprovalQueue.Refused | RuntimeException e) {
            return Optional.of(refusal.reason() + " (the approval queue failed: " + e.getMessage() + ")");
        }
    }

    private void refuse(DaemonClient client, Mirror mirror, ReceiveCommand command, String reason) {
        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason);
        record(client, "git-push", "PUSH", mirror, describe(command), "deny", reason);
    }

    private static String describe(ReceiveCommand c) {
        return c.getRefName() + " " + abbreviate(c.getOldId()) + ".." + abbreviate(c.getNewId());
    }

    private static String abbreviate(ObjectId id) {
        return id.abbreviate(12).name();
    }

    private Mirror mirrorOf(Repository db) {
        String dir = db.getDirectory().getName();
        return mirrors.get(dir.substring(0, dir.length() - ".git".length()));
    }

    private void record(DaemonClient client, String kind, String method, Mirror mirror, String refs, String decision,
                        String reason) {
        audit.write(new AuditRecord(Instant.now(), slug, client.getRemoteAddress().getHostAddress(), kind,
                method, mirror.repo().name(), daemon.getAddress().getPort(), refs, decision,
                "git[" + mirror.repo().name() + "]", reason, 0, 0, 0, 0));
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
