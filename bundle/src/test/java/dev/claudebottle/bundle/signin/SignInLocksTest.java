package dev.claudebottle.bundle.signin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.testing.Await;
import dev.claudebottle.spi.testing.SteppedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper takes Claude Code's lock directories as Claude Code does: waits for a held one, takes over a stale one, keeps its own fresh and leaves none behind. */
class SignInLocksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String REFRESH_LOCK = ".oauth_refresh.lock";
    private static final String WRITE_LOCK = ".storage-write.lock";
    @TempDir
    Path dir;
    private HostFolder host;
    private final FakeTokenEndpoint endpoint = new FakeTokenEndpoint();
    private final SteppedClock clock = new SteppedClock();
    private final FastSleeper sleeper = new FastSleeper();
    private final List<SignInKeeper> keepers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        host = new HostFolder(dir);
        host.signIn(endpoint.login(), clock.instant().minus(Duration.ofMinutes(1)));
    }

    @AfterEach
    void close() {
        keepers.forEach(SignInKeeper::close);
    }

    private SignInKeeper keeper(KeeperTimes times) {
        SignInKeeper keeper = SignInKeeper.start(dir, endpoint, clock, event -> { }, times, sleeper);
        keepers.add(keeper);
        return keeper;
    }

    private static Secret token(CompletableFuture<Secret> future) throws Exception {
        return future.get(WAIT.toSeconds(), SECONDS);
    }

    private Path staleLock(String name, Duration age) throws Exception {
        Path lock = Files.createDirectory(host.lock(name));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(age)));
        return lock;
    }

    @Test
    void staleLocksAreTakenOverAndTheOwnerRecordIsLeftAlone() throws Exception {
        Path refreshLock = staleLock(REFRESH_LOCK, Duration.ofMinutes(2));
        Path writeLock = staleLock(WRITE_LOCK, Duration.ofSeconds(20));
        Path owner = Files.writeString(host.lock(REFRESH_LOCK + ".owner"), "{\"pid\":1}");

        Secret fresh = token(keeper(KeeperTimes.DEFAULT).accessToken());

        Await.until(WAIT, "the file to hold the new pair", () -> host.accessToken().equals(fresh));
        assertThat(endpoint.refreshes()).isEqualTo(1);
        Await.until(WAIT, "both locks to be released", () -> !Files.exists(refreshLock) && !Files.exists(writeLock));
        assertThat(Files.readString(owner)).isEqualTo("{\"pid\":1}");
    }

    @Test
    void aLockAnotherPartyHoldsIsWaitedForUntilItIsReleased() throws Exception {
        Path held = Files.createDirectory(host.lock(REFRESH_LOCK));

        CompletableFuture<Secret> asked = keeper(KeeperTimes.DEFAULT).accessToken();
        Await.until(WAIT, "the keeper to try the lock a few times", () -> sleeper.asked().size() >= 3);

        assertThat(asked).isNotDone();
        assertThat(endpoint.calls()).isZero();
        assertThat(sleeper.asked()).allMatch(d -> d.compareTo(Duration.ofSeconds(1)) >= 0
                && d.compareTo(Duration.ofSeconds(2)) <= 0);
        Files.delete(held);

        Secret fresh = token(asked);
        Await.until(WAIT, "the file to hold the new pair", () -> host.accessToken().equals(fresh));
        assertThat(endpoint.refreshes()).isEqualTo(1);
        Await.until(WAIT, "the keeper's lock to be released", () -> !Files.exists(held));
    }

    @Test
    void theKeepersLockIsTouchedWhileTheEndpointIsSlowAndReleasedAfter() throws Exception {
        CompletableFuture<Void> answers = endpoint.holdAnswers();
        Path lock = host.lock(REFRESH_LOCK);

        CompletableFuture<Secret> asked = keeper(KeeperTimes.DEFAULT.touchingRefreshLockEvery(Duration.ofMillis(50)))
                .accessToken();
        Await.until(WAIT, "the keeper to ask the endpoint under its lock", () -> endpoint.calls() == 1
                && Files.isDirectory(lock));
        FileTime taken = Files.getLastModifiedTime(lock);
        Await.until(WAIT, "the keeper to touch its lock", () -> Files.getLastModifiedTime(lock).compareTo(taken) > 0);
        answers.complete(null);

        token(asked);
        Await.until(WAIT, "the keeper's locks to be released", () -> !Files.exists(lock)
                && !Files.exists(host.lock(WRITE_LOCK)));
        assertThat(endpoint.refreshes()).isEqualTo(1);
    }

    @Test
    void closingTheKeeperWhileARefreshTokenIsOutWaitsForItsAnswerWritesItBackAndReleasesTheLock() throws Exception {
        CompletableFuture<Void> gate = endpoint.holdAnswers();
        Path lock = host.lock(REFRESH_LOCK);
        SignInKeeper keeper = keeper(KeeperTimes.DEFAULT);
        CompletableFuture<Secret> asked = keeper.accessToken();
        Await.until(WAIT, "the keeper to ask the endpoint under its lock", () -> endpoint.calls() == 1
                && Files.isDirectory(lock));

        // a stop while the token is out: the answer is the family's only live pair, so it is waited for
        CompletableFuture<Void> closing = CompletableFuture.runAsync(keeper::close);
        gate.complete(null);
        closing.get(WAIT.toSeconds(), SECONDS);

        assertThat(Files.exists(lock)).isFalse();
        assertThat(endpoint.accepts(host.refreshToken())).as("the host's file holds the live pair").isTrue();
        assertThat(asked).isDone();
        assertThat(keeper.accessToken()).isCompletedExceptionally();
        assertThat(endpoint.reuses()).isZero();
    }
}
