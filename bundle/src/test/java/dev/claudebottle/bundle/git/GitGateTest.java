package dev.claudebottle.bundle.git;

import static dev.claudebottle.bundle.git.GitCli.git;
import dev.claudebottle.spi.testing.SteppedClock;
import static dev.claudebottle.bundle.git.GitCli.gitResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.trust.SecretScanner;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.spi.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate on loopback with the real git client on one side and a bare upstream on the other:
 * what the policy lets through lands upstream, everything else is refused before upstream sees it.
 */
class GitGateTest {
    @TempDir
    Path temp;
    Path upstream;
    Path audit;
    GitGate gate;
    final SteppedClock clock = new SteppedClock();
    AuditLog auditLog;
    String url;
    String askingUrl;
    Path queue;
    final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        upstream = temp.resolve("upstream.git");
        GitCli.seedBareRepo(upstream, "hello\n");
        audit = temp.resolve("audit.jsonl");
        auditLog = new AuditLog(audit);
        queue = temp.resolve("queue");
        startGate(PushLimits.DEFAULT);
    }

    /** The gate over {@code app} (pushes outside its globs refused) and {@code asking} (asked about). */
    private void startGate(PushLimits limits) throws Exception {
        GateRepo repo = new GateRepo("app", upstream.toUri().toString(), List.of("agent/*"), List.of("main"),
                Optional.empty(), Optional.empty());
        GateRepo asking = new GateRepo("asking", upstream.toUri().toString(), List.of("agent/*"), List.of("main"),
                Optional.empty(), Optional.empty(), Optional.empty(), true);
        gate = new GitGate(List.of(repo, asking), temp.resolve("gate"), new SecretScanner(List.of()), auditLog,
                new DaemonLog("git-gate", new PrintStream(new ByteArrayOutputStream())), "test-1",
                new InetSocketAddress("127.0.0.1", 0), clock, Optional.of(new ApprovalQueue(queue, "test-1",
                        java.time.Clock.systemUTC())), java.time.Duration.ofSeconds(20), limits);
        InetSocketAddress address = gate.start();
        url = "git://127.0.0.1:" + address.getPort() + "/app.git";
        askingUrl = "git://127.0.0.1:" + address.getPort() + "/asking.git";
    }

    @AfterEach
    void stop() throws Exception {
        gate.close();
        auditLog.close();
        background.shutdownNow();
    }

    private Path cloned() throws Exception {
        Path work = temp.resolve("work");
        git(temp, "clone", "--quiet", url, work.toString());
        return work;
    }

    @Test
    void aCloneSeesUpstreamAndAPushToAnAllowedBranchLandsUpstream() throws Exception {
        Path work = cloned();
        assertThat(work.resolve("README")).hasContent("hello");
        commitOnNewBranch(work, "agent/x", "change.txt", "agent work\n", "agent change");
        GitCli.Result push = gitResult(work, "push", "origin", "agent/x");

        assertThat(push.code()).as(push.output()).isZero();
        assertThat(git(upstream, "rev-parse", "agent/x")).isEqualTo(git(work, "rev-parse", "HEAD"));
        assertThat(Files.readString(audit)).contains("\"kind\":\"git-push\"").contains("refs/heads/agent/x")
                .contains("\"decision\":\"allow\"").contains("\"kind\":\"git-fetch\"");
    }

    @Test
    void aPushToAProtectedBranchIsRefusedAndUpstreamStaysPut() throws Exception {
        String before = git(upstream, "rev-parse", "main");
        Path work = cloned();
        Files.writeString(work.resolve("README"), "changed\n");
        git(work, "commit", "-am", "to main");

        assertPushRefused(work, "main", "branch main is protected", before);
        assertThat(Files.readString(audit)).contains("\"decision\":\"deny\"").contains("branch main is protected");
    }

    @Test
    void aBranchOutsideThePushGlobsIsRefused() throws Exception {
        Path work = cloned();
        git(work, "checkout", "-b", "feature/y");
        GitCli.Result push = gitResult(work, "push", "origin", "feature/y");

        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("pushing to feature/y is not allowed; allowed branches: agent/*; "
                + "push to a branch matching agent/*, or ask a person");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "feature/y").code()).isNotZero();
    }

    @Test
    void withPushUnknownAskAPushOutsideTheGlobsWaitsForAPersonAndLandsOnceApproved() throws Exception {
        Path work = clonedAsking();
        commitOnNewBranch(work, "feature/y", "y.txt", "why\n", "feature work");
        var pushing = pushInBackground(work, "feature/y");
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        assertThat(question.kind()).isEqualTo("push");
        assertThat(question.title()).isEqualTo("push feature/y to asking");
        assertThat(question.target()).contains("asking:refs/heads/feature/y");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "feature/y").code())
                .as("nothing lands before a person decides").isNotZero();

        decide(question, ApprovalQueueFiles.State.APPROVED);
        GitCli.Result push = pushing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(push.code()).as(push.output()).isZero();
        assertThat(git(upstream, "rev-parse", "feature/y")).isEqualTo(git(work, "rev-parse", "HEAD"));
        assertThat(Files.readString(audit)).contains("\"decision\":\"ask\"").contains("pushed upstream");
    }

    @Test
    void withPushUnknownAskARefusalByAPersonSaysSoAndUpstreamStaysPut() throws Exception {
        Path work = clonedAsking();
        commitOnNewBranch(work, "feature/z", "z.txt", "zed\n", "feature work");
        var pushing = pushInBackground(work, "feature/z");
        decide(awaitQuestion(1), ApprovalQueueFiles.State.DENIED);

        GitCli.Result push = pushing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("a person refused pushing to feature/z: open a pull request instead");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "feature/z").code()).isNotZero();
    }

    @Test
    void withPushUnknownAskAProtectedBranchADeleteAndAForcePushAreRefusedWithoutAsking() throws Exception {
        Path work = clonedAsking();
        commitOnNewBranch(work, "agent/w", "w.txt", "one\n", "one");
        assertThat(gitResult(work, "push", "origin", "agent/w").code()).isZero();

        GitCli.Result delete = gitResult(work, "push", "origin", ":agent/w");
        assertThat(delete.output()).contains("deleting branch agent/w is not allowed");
        git(work, "commit", "--amend", "-m", "rewritten");
        assertThat(gitResult(work, "push", "--force", "origin", "agent/w").output())
                .contains("non-fast-forward update of agent/w is not allowed");
        git(work, "checkout", "-q", "-b", "rewrite", "HEAD~1");
        Files.writeString(work.resolve("README"), "over main\n");
        git(work, "commit", "-qam", "to main");
        assertThat(gitResult(work, "push", "origin", "HEAD:main").output()).contains("branch main is protected");
        assertThat(questions()).isEmpty();
    }

    /** A clone through the repo that asks a person about pushes outside its globs. */
    private Path clonedAsking() throws Exception {
        Path work = temp.resolve("asking-work");
        git(temp, "clone", "--quiet", askingUrl, work.toString());
        return work;
    }

    /** A push that waits for a person, on a thread of its own (so several wait at once). */
    private java.util.concurrent.CompletableFuture<GitCli.Result> pushInBackground(Path work, String branch) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return gitResult(work, "push", "origin", branch);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, background);
    }

    private java.util.List<ApprovalQueueFiles.Request> questions() throws Exception {
        Path dir = queue.resolve(ApprovalQueueFiles.REQUESTS);
        java.util.List<ApprovalQueueFiles.Request> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(ApprovalQueueFiles.Request.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readValue(f.toFile(), Object.class)));
            }
        }
        return out;
    }

    private ApprovalQueueFiles.Request awaitQuestion(int count) throws Exception {
        Await.until(Duration.ofSeconds(20), count + " question(s)", () -> questions().size() >= count);
        assertThat(questions()).hasSize(count);
        return questions().get(count - 1);
    }

    /** Decides as the host does: the decision appears whole, so a gate polling for it never reads half of it. */
    private void decide(ApprovalQueueFiles.Request question, ApprovalQueueFiles.State state) throws Exception {
        ApprovalQueueFiles.place(queue, new ApprovalQueueFiles.Decision(question.id(), state,
                state == ApprovalQueueFiles.State.DENIED ? "open a pull request instead" : "", java.time.Instant.now(),
                ApprovalQueueFiles.DecidedBy.HOST), new com.fasterxml.jackson.databind.ObjectMapper()::writeValueAsBytes);
    }

    @Test
    void deletingAndForcePushingAreRefused() throws Exception {
        Path work = cloned();
        commitOnNewBranch(work, "agent/z", "a.txt", "one\n", "one");
        assertThat(gitResult(work, "push", "origin", "agent/z").code()).isZero();
        String pushed = git(upstream, "rev-parse", "agent/z");

        GitCli.Result delete = gitResult(work, "push", "origin", ":agent/z");
        assertThat(delete.code()).isNotZero();
        assertThat(delete.output()).contains("deleting branch agent/z is not allowed");

        git(work, "commit", "--amend", "-m", "rewritten");
        GitCli.Result force = gitResult(work, "push", "--force", "origin", "agent/z");
        assertThat(force.code()).isNotZero();
        assertThat(force.output()).contains("non-fast-forward update of agent/z is not allowed");
        assertThat(git(upstream, "rev-parse", "agent/z")).isEqualTo(pushed);
    }

    @Test
    void aCommitCarryingAnAwsKeyIsRefusedByDlp() throws Exception {
        Path work = cloned();
        commitOnNewBranch(work, "agent/leak", "config.env", "AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n", "add config");
        GitCli.Result push = gitResult(work, "push", "origin", "agent/leak");

        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("push refused by DLP: config.env matches the aws-access-key-id pattern");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "agent/leak").code()).isNotZero();
        assertThat(Files.readString(audit)).doesNotContain("AKIAABCDEFGHIJKLMNOP");
    }

    @Test
    void aSecretInAFileNameIsRefusedWithoutRepeatingTheName() throws Exception {
        Path work = cloned();
        commitOnNewBranch(work, "agent/name", "AKIAABCDEFGHIJKLMNOP.txt", "harmless\n", "add a file");
        GitCli.Result push = gitResult(work, "push", "origin", "agent/name");

        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("a file name in the push matches the aws-access-key-id pattern");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "agent/name").code()).isNotZero();
        assertThat(Files.readString(audit)).doesNotContain("AKIAABCDEFGHIJKLMNOP");
    }

    @Test
    void aSecretInTheAuthorsIdentityIsRefused() throws Exception {
        Path work = cloned();
        git(work, "checkout", "-b", "agent/ident");
        Files.writeString(work.resolve("note.txt"), "hello\n");
        git(work, "add", "note.txt");
        git(work, "-c", "user.name=AKIAABCDEFGHIJKLMNOP", "-c", "user.email=a@b.test", "commit", "-m", "note");
        GitCli.Result push = gitResult(work, "push", "origin", "agent/ident");

        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("author or committer identity matching the aws-access-key-id pattern");
    }

    @Test
    void aSecretInsideACompressedFileIsRefused() throws Exception {
        Path work = cloned();
        git(work, "checkout", "-b", "agent/zip");
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write("AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n".getBytes());
        }
        Files.write(work.resolve("config.env.gz"), gz.toByteArray());
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(zipped)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("inner/secret.txt"));
            zip.write("token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n".getBytes());
            zip.closeEntry();
        }
        Files.write(work.resolve("bundle.zip"), zipped.toByteArray());
        git(work, "add", "config.env.gz");
        git(work, "commit", "-m", "compressed");
        GitCli.Result gzPush = gitResult(work, "push", "origin", "agent/zip");
        git(work, "checkout", "-q", "-b", "agent/zip2", "origin/main");
        git(work, "add", "bundle.zip");
        git(work, "commit", "-m", "zipped");
        GitCli.Result zipPush = gitResult(work, "push", "origin", "agent/zip2");

        assertThat(gzPush.code()).isNotZero();
        assertThat(gzPush.output()).contains("config.env.gz matches the aws-access-key-id pattern");
        assertThat(zipPush.code()).isNotZero();
        assertThat(zipPush.output()).contains("bundle.zip matches the github-token pattern");
    }

    @Test
    void whenUpstreamMovedThePushIsRefusedAndTheMirrorKeepsUpstreamsState() throws Exception {
        Path work = cloned();
        commitOnNewBranch(work, "agent/race", "r.txt", "1\n", "1");
        assertThat(gitResult(work, "push", "origin", "agent/race").code()).isZero();
        // someone else moves the branch upstream behind the gate's back
        Path other = temp.resolve("other");
        git(temp, "clone", "--quiet", "--branch", "agent/race", upstream.toString(), other.toString());
        Files.writeString(other.resolve("r.txt"), "other\n");
        git(other, "commit", "-am", "other");
        git(other, "push", "--quiet", "origin", "agent/race");
        String theirs = git(upstream, "rev-parse", "agent/race");

        Files.writeString(work.resolve("r.txt"), "2\n");
        git(work, "commit", "-am", "2");

        assertPushRefused(work, "agent/race", "has moved since the last fetch", theirs);
        // the clock stands still: the clone sees upstream because a push leaves the mirror stale
        Path fresh = temp.resolve("fresh");
        git(temp, "clone", "--quiet", "--branch", "agent/race", url, fresh.toString());
        assertThat(git(fresh, "rev-parse", "HEAD")).isEqualTo(theirs);
    }

    @Test
    void aFetchWithinTheFreshnessWindowIsServedFromTheMirrorAndALaterOneAsksUpstream() throws Exception {
        cloned();
        Path other = temp.resolve("other");
        git(temp, "clone", "--quiet", upstream.toString(), other.toString());
        Files.writeString(other.resolve("README"), "moved on\n");
        git(other, "commit", "-am", "upstream moves on");
        git(other, "push", "--quiet", "origin", "HEAD");
        String moved = git(upstream, "rev-parse", "HEAD");

        clock.advance(GitGate.FRESHNESS.minusSeconds(1));
        Path early = temp.resolve("early");
        git(temp, "clone", "--quiet", url, early.toString());
        assertThat(git(early, "rev-parse", "HEAD")).isNotEqualTo(moved);

        clock.advance(Duration.ofSeconds(2));
        Path late = temp.resolve("late");
        git(temp, "clone", "--quiet", url, late.toString());
        assertThat(git(late, "rev-parse", "HEAD")).isEqualTo(moved);
    }

    @Test
    void anUnreachableUpstreamFailsTheFetchAndIsAudited() throws Exception {
        Files.move(upstream, temp.resolve("moved.git"));
        GitCli.Result clone = gitResult(temp, "clone", url, temp.resolve("y").toString());

        assertThat(clone.code()).isNotZero();
        assertThat(clone.output()).contains("remote error: the git gate cannot reach the upstream of app");
        assertThat(Files.exists(temp.resolve("y/README"))).isFalse();
        assertThat(Files.readString(audit)).contains("\"kind\":\"git-fetch\"").contains("\"decision\":\"error\"")
                .contains("cannot reach the upstream of app");
    }

    @Test
    void anUnknownRepoIsNotServed() throws Exception {
        GitCli.Result clone = gitResult(temp, "clone", url.replace("app.git", "other.git"), temp.resolve("x").toString());
        assertThat(clone.code()).isNotZero();
        assertThat(Files.exists(temp.resolve("x/.git/refs"))).isFalse();
    }

    @Test
    void refusedPushesLeaveTheMirrorsObjectStoreAsItWas() throws Exception {
        Path work = cloned();
        Path asking = clonedAsking();
        String main = git(upstream, "rev-parse", "main");
        Map<String, Long> before = objectStore();

        Files.write(work.resolve("big.bin"), noise(1, 512 << 10));
        git(work, "add", "big.bin");
        git(work, "commit", "-qm", "to main");
        assertPushRefused(work, "main", "branch main is protected", main);
        awaitObjectStore(before);

        git(work, "checkout", "-q", "-b", "agent/leak", "origin/main");
        Files.write(work.resolve("big.bin"), noise(2, 512 << 10));
        Files.writeString(work.resolve("config.env"), "AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n");
        git(work, "add", "big.bin", "config.env");
        git(work, "commit", "-qm", "with a secret");
        GitCli.Result dlp = gitResult(work, "push", "origin", "agent/leak");
        assertThat(dlp.output()).contains("push refused by DLP");
        awaitObjectStore(before);

        git(asking, "checkout", "-q", "-b", "feature/big");
        Files.write(asking.resolve("big.bin"), noise(3, 512 << 10));
        git(asking, "add", "big.bin");
        git(asking, "commit", "-qm", "outside the globs");
        var pushing = pushInBackground(asking, "feature/big");
        decide(awaitQuestion(1), ApprovalQueueFiles.State.DENIED);
        assertThat(pushing.get(30, java.util.concurrent.TimeUnit.SECONDS).output()).contains("a person refused");
        awaitObjectStore(before);
    }

    @Test
    void aRefusedPushTakesNothingAnAcceptedPushOfTheSameCommitsNeeds() throws Exception {
        Path work = clonedAsking();
        commitOnNewBranch(work, "feature/same", "same.bin", "same\n", "the same commit pushed twice");
        var held = pushInBackground(work, "feature/same");
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        GitCli.Result accepted = gitResult(work, "push", "origin", "HEAD:agent/same");
        assertThat(accepted.code()).as(accepted.output()).isZero();

        decide(question, ApprovalQueueFiles.State.DENIED);
        assertThat(held.get(30, java.util.concurrent.TimeUnit.SECONDS).code()).isNotZero();
        awaitNothingInFlight();

        Path mirror = temp.resolve("gate/mirrors/asking.git");
        assertThat(git(mirror, "rev-parse", "agent/same")).isEqualTo(git(work, "rev-parse", "HEAD"));
        GitCli.Result fsck = gitResult(mirror, "fsck", "--connectivity-only", "--no-dangling");
        assertThat(fsck.code()).as(fsck.output()).isZero();
    }

    @Test
    void atMostEightPushesWaitForAPersonAndTheNextIsRefusedAtOnce() throws Exception {
        Path work = clonedAsking();
        commitOnNewBranch(work, "feature/q", "q.txt", "queue\n", "many asks");
        List<java.util.concurrent.CompletableFuture<GitCli.Result>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(pushInBackground(work, "HEAD:feature/q" + i));
        }
        awaitQuestion(8);

        GitCli.Result next = gitResult(work, "push", "origin", "HEAD:feature/q8");

        assertThat(next.code()).isNotZero();
        assertThat(next.output()).contains("pushing to feature/q8 is not allowed")
                .contains("8 pushes already wait for a person; push again once one is answered");
        assertThat(questions()).hasSize(8);
        assertThat(Files.readString(audit)).contains("8 pushes already wait for a person");
        for (ApprovalQueueFiles.Request q : questions()) {
            decide(q, ApprovalQueueFiles.State.DENIED);
        }
        for (var w : waiting) {
            assertThat(w.get(30, java.util.concurrent.TimeUnit.SECONDS).output()).contains("a person refused");
        }
    }

    @Test
    void aPushOverThePackLimitIsRefusedWithAReasonAndLeavesNothing() throws Exception {
        gate.close();
        startGate(new PushLimits(256 << 10, 16 << 20));
        Path work = cloned();
        Map<String, Long> before = objectStore();
        git(work, "checkout", "-q", "-b", "agent/big");
        Files.write(work.resolve("big.bin"), noise(4, 1 << 20));
        git(work, "add", "big.bin");
        git(work, "commit", "-qm", "over the limit");

        GitCli.Result push = gitResult(work, "push", "origin", "agent/big");

        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("the push is over the git gate's limit of 262144 bytes for one push; "
                + "push fewer or smaller commits at a time, and keep large files out of the repository");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "agent/big").code()).isNotZero();
        assertThat(Files.readString(audit)).contains("\"decision\":\"deny\"").contains("limit of 262144 bytes");
        awaitObjectStore(before);
    }

    @Test
    void anObjectOverTheObjectLimitIsRefusedWhileTheGateReceivesIt() throws Exception {
        gate.close();
        startGate(new PushLimits(256 << 20, 1 << 20));
        Path work = cloned();
        Map<String, Long> before = objectStore();
        git(work, "checkout", "-q", "-b", "agent/bomb");
        // zeros pack small and inflate large: the size that costs the gate is the inflated one
        Files.write(work.resolve("bomb.bin"), new byte[8 << 20]);
        git(work, "add", "bomb.bin");
        git(work, "commit", "-qm", "a small pack of a large file");

        GitCli.Result push = gitResult(work, "push", "origin", "agent/bomb");

        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains("an object of the push is over the git gate's limit of "
                + "1048576 bytes for one file; keep large files out of the repository");
        assertThat(gitResult(upstream, "rev-parse", "--verify", "--quiet", "agent/bomb").code()).isNotZero();
        awaitObjectStore(before);
    }

    @Test
    void whatPushesInFlightLeftWhenTheGateStoppedIsGoneWhenItStarts() throws Exception {
        cloned();
        gate.close();
        Path left = temp.resolve("gate/mirrors/app.git").resolve(Quarantine.FOLDER).resolve("cut-off/pack");
        Files.createDirectories(left);
        Files.write(left.resolve("pack-0000000000000000000000000000000000000000.pack"), noise(5, 64 << 10));

        startGate(PushLimits.DEFAULT);

        assertThat(temp.resolve("gate/mirrors/app.git").resolve(Quarantine.FOLDER)).doesNotExist();
    }

    /**
     * Every file the gate keeps for its mirrors but their refs, HEAD and config, with its size: what
     * a push can leave on the host's disk, wherever the gate would put it.
     */
    private Map<String, Long> objectStore() throws java.io.IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return filesOfMirrors();
            } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
                // the gate removed a file while it was listed: list again
                if (attempt == 50) {
                    throw e;
                }
            }
        }
    }

    private Map<String, Long> filesOfMirrors() throws java.io.IOException {
        Path mirrors = temp.resolve("gate/mirrors");
        Map<String, Long> store = new java.util.TreeMap<>();
        try (var files = Files.walk(mirrors)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = mirrors.relativize(f);
                String inside = rel.getNameCount() > 1 ? rel.getName(1).toString() : "";
                if (rel.getNameCount() > 2 && !inside.equals("refs") && !inside.equals("logs")) {
                    store.put(rel.toString(), Files.size(f));
                }
            }
        }
        return store;
    }

    /** Waits until the mirrors' object store is {@code expected} again: a push ends after the agent has its answer. */
    private void awaitObjectStore(Map<String, Long> expected) throws Exception {
        Await.until(Duration.ofSeconds(20), () -> "the object store as it was, " + expected + "; it is " + objectStore(),
                () -> objectStore().equals(expected));
    }

    /** Waits until the mirrors hold nothing but objects, refs and their own files: no push is in flight. */
    private void awaitNothingInFlight() throws Exception {
        Await.until(Duration.ofSeconds(20), () -> "no push in flight; the mirrors hold " + inFlight(),
                () -> inFlight().isEmpty());
    }

    private java.util.Set<String> inFlight() throws java.io.IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String f : objectStore().keySet()) {
            Path p = Path.of(f);
            if (!p.getName(1).toString().equals("objects") || f.endsWith(".keep")
                    || p.getFileName().toString().startsWith("incoming_")) {
                out.add(f);
            }
        }
        return out;
    }

    /** {@code size} bytes that do not compress, the same for the same {@code seed}. */
    private static byte[] noise(long seed, int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The push fails with {@code message} and upstream's branch stays at {@code upstreamId}. */
    private void assertPushRefused(Path work, String branch, String message, String upstreamId) throws Exception {
        GitCli.Result push = gitResult(work, "push", "origin", branch);
        assertThat(push.code()).isNotZero();
        assertThat(push.output()).contains(message);
        assertThat(git(upstream, "rev-parse", branch)).isEqualTo(upstreamId);
    }

    private static void commitOnNewBranch(Path work, String branch, String file, String content, String message)
            throws Exception {
        git(work, "checkout", "-b", branch);
        Files.writeString(work.resolve(file), content);
        git(work, "add", file);
        git(work, "commit", "-m", message);
    }
}
