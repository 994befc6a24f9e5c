package dev.claudebottle.bundle.git;

import dev.claudebottle.bundle.trust.UpstreamTrust;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The gate's bare mirror of one upstream. Fetches refresh it (at most once per freshness window);
 * accepted pushes go upstream first and reach the mirror only when upstream took them. Only this
 * class talks to the upstream: over SSH with the repo's own key and known_hosts and strict host key
 * checking, over HTTPS with the repo's token and the JVM's trusted CAs.
 */
final class Mirror {
    private static final List<RefSpec> MIRROR_SPECS = List.of(new RefSpec("+refs/heads/*:refs/heads/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"));
    private final GateRepo repo;
    private final Path dir;
    private final Duration freshness;
    private final Clock clock;
    private final Optional<SshSessionFactory> ssh;
    private Instant fetchedAt = Instant.MIN;
    /** One compaction at a time: a gc run in the foreground takes no lock of its own. */
    private final Object compacting = new Object();

    Mirror(GateRepo repo, Path mirrorsDir, Duration freshness, Clock clock) {
        this.repo = repo;
        this.dir = mirrorsDir.resolve(repo.name() + ".git");
        this.freshness = freshness;
        this.clock = clock;
        this.ssh = repo.identityFile().map(id -> sshFactory(id, repo.knownHosts(), mirrorsDir));
    }

    GateRepo repo() {
        return repo;
    }

    /** A newly opened handle on the mirror, created bare on first use; the caller closes it. */
    synchronized Repository open() throws IOException {
        Repository db = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.isDirectory(dir.resolve("objects"))) {
            db.create(true);
        }
        return db;
    }

    /** A quarantine for one push to the mirror; the mirror exists (the daemon opened it). */
    Quarantine quarantine() throws IOException {
        return Quarantine.open(dir);
    }

    /** Removes what pushes in flight left when the gate last stopped; before the gate listens. */
    void clearQuarantine() throws IOException {
        Quarantine.clear(dir);
    }

    /**
     * Packs the mirror's objects together when JGit's automatic housekeeping finds too many packs or
     * loose objects. A pack is removed only once it is older than JGit's expiry, so a push that is
     * being placed into the mirror keeps its objects.
     */
    void compact() throws IOException {
        synchronized (compacting) {
            try (Repository db = open()) {
                GC gc = new GC((FileRepository) db);
                gc.setAuto(true);
                gc.gc();
            } catch (ParseException | GitAPIException e) {
                throw new IOException("compacting the mirror of " + repo.name() + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Brings the mirror up to date with upstream unless it was refreshed within the freshness window. */
    synchronized void refresh() throws IOException {
        Instant now = clock.instant();
        if (fetchedAt.plus(freshness).isAfter(now)) {
            return;
        }
        try (Repository db = open(); Transport transport = open(db)) {
            transport.setRemoveDeletedRefs(true);
            FetchResult result;
            try {
                result = transport.fetch(NullProgressMonitor.INSTANCE, MIRROR_SPECS);
            } catch (TransportException e) {
                throw withTlsCause(e);
            }
            followHead(db, result);
        }
        fetchedAt = now;
    }

    /** Points the mirror's HEAD where upstream's points, so a clone checks out upstream's default branch. */
    private static void followHead(Repository db, FetchResult result) throws IOException {
        Ref head = result.getAdvertisedRef(Constants.HEAD);
        if (head == null) {
            return;
        }
        String target = head.isSymbolic() ? head.getTarget().getName() : null;
        if (target == null) {
            for (Ref ref : result.getAdvertisedRefs()) {
                if (ref.getName().startsWith(Constants.R_HEADS) && head.getObjectId() != null
                        && head.getObjectId().equals(ref.getObjectId())
                        && (target == null || ref.getName().equals(Constants.R_HEADS + "main"))) {
                    target = ref.getName();
                }
            }
        }
        Ref current = db.exactRef(Constants.HEAD);
        if (target != null && (current == null || !current.isSymbolic()
                || !current.getTarget().getName().equals(target))) {
            db.updateRef(Constants.HEAD).link(target);
        }
    }

    /**
     * Pushes the commands to upstream, each expecting upstream still at the command's old id, and
     * returns the refusal message of each command upstream did not take.
     */
    synchronized Map<ReceiveCommand, String> pushUpstream(Repository db, List<ReceiveCommand> commands)
            throws IOException {
        List<RemoteRefUpdate> updates = new ArrayList<>();
        for (ReceiveCommand c : commands) {
            updates.add(new RemoteRefUpdate(db, null, c.getNewId(), c.getRefName(), false, null, c.getOldId()));
        }
        PushResult result;
        try (Transport transport = open(db)) {
            result = transport.push(NullProgressMonitor.INSTANCE, updates);
        } catch (TransportException e) {
            throw withTlsCause(e);
        }
        Map<ReceiveCommand, String> refused = new LinkedHashMap<>();
        for (ReceiveCommand c : commands) {
            RemoteRefUpdate u = result.getRemoteUpdate(c.getRefName());
            RemoteRefUpdate.Status status = u == null ? RemoteRefUpdate.Status.NOT_ATTEMPTED : u.getStatus();
            switch (status) {
                case OK, UP_TO_DATE -> { }
                case REJECTED_REMOTE_CHANGED -> refused.put(c, "upstream " + c.getRefName()
                        + " has moved since the last fetch; fetch, rebase and push again");
                default -> refused.put(c, "upstream refused " + c.getRefName() + ": "
                        + (u != null && u.getMessage() != null ? u.getMessage() : status.toString())
                        + upstreamSays(result));
            }
        }
        fetchedAt = Instant.MIN;
        return refused;
    }

    /** What upstream printed during the push (its hooks' output), on one line. */
    private static String upstreamSays(PushResult result) {
        String messages = result.getMessages() == null ? "" : result.getMessages().strip()
                .replaceAll("(?m)^remote:\\s*", "").replaceAll("\\s*\\R\\s*", "; ");
        return messages.isEmpty() ? "" : "; upstream says: " + messages;
    }

    /**
     * JGit's failure with its TLS cause added: JGit says only that TLS failed ("SSL problems"), and
     * the cause (which CA the upstream's certificate needs, say) is what a person acts on.
     */
    private static TransportException withTlsCause(TransportException e) {
        return UpstreamTrust.tlsFailure(e.getCause()).map(why -> new TransportException(e.getMessage() + ": " + why, e))
                .orElse(e);
    }

    private Transport open(Repository db) throws IOException {
        URIish uri;
        try {
            uri = new URIish(repo.upstream());
        } catch (URISyntaxException e) {
            throw new IOException("the upstream of " + repo.name() + " is not a git URL", e);
        }
        Transport transport;
        try {
            transport = Transport.open(db, uri);
        } catch (TransportException e) {
            throw new IOException("cannot reach the upstream of " + repo.name() + ": " + e.getMessage(), e);
        }
        repo.login().ifPresent(login -> transport.setCredentialsProvider(login.credentials()));
        if (transport instanceof SshTransport sshTransport) {
            sshTransport.setSshSessionFactory(ssh.orElseThrow(() -> new IOException(
                    "the upstream of " + repo.name() + " is SSH but the manifest gives no identity_file")));
        }
        return transport;
    }

    /** SSH with exactly this key and these known hosts; an unknown or changed host key is refused. */
    private static SshSessionFactory sshFactory(Path identity, Optional<Path> knownHosts, Path workDir) {
        File home = workDir.resolve(".ssh-home").toFile();
        File sshDir = new File(home, ".ssh");
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(sshDir)
                .setConfigFile(dir -> new File(dir, "config.absent"))
                .setDefaultIdentities(dir -> List.of(identity))
                .setDefaultKnownHostsFiles(dir -> knownHosts.map(List::of).orElse(List.of()))
                .setPreferredAuthentications("publickey")
                .build(null);
    }
}
