package dev.claudebottle.bundle.signin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.claudebottle.bundle.signin.SignInEvent.Kind;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.testing.Await;
import dev.claudebottle.spi.testing.SteppedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper hands out a good token, refreshes each generation once among every party, and keeps the host signed in. */
class SignInKeeperTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    private HostFolder host;
    private final FakeTokenEndpoint endpoint = new FakeTokenEndpoint();
    private final SteppedClock clock = new SteppedClock();
    private final FastSleeper sleeper = new FastSleeper();
    private final List<SignInEvent> events = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final List<SignInKeeper> keepers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        host = new HostFolder(dir);
    }

    @AfterEach
    void closeAndLookForTokens() {
        keepers.forEach(SignInKeeper::close);
        List<String> told = new ArrayList<>(messages);
        events().forEach(e -> {
            told.add(e.detail());
            told.add(e.toString());
        });
        for (String text : told) {
            assertThat(text).doesNotContain("sk-ant-");
            endpoint.issued().forEach(token -> assertThat(text).doesNotContain(token.reveal()));
        }
    }

    private SignInKeeper keeper() {
        return keeper(KeeperTimes.DEFAULT);
    }

    private SignInKeeper keeper(KeeperTimes times) {
        return keeper(times, event -> { });
    }

    private SignInKeeper keeper(KeeperTimes times, Consumer<SignInEvent> also) {
        SignInKeeper keeper = SignInKeeper.start(dir, endpoint, clock, event -> {
            record(event);
            also.accept(event);
        }, times, sleeper);
        keepers.add(keeper);
        return keeper;
    }

    private synchronized void record(SignInEvent event) {
        events.add(event);
    }

    private synchronized List<SignInEvent> events() {
        return List.copyOf(events);
    }

    private List<Kind> kinds() {
        return events().stream().map(SignInEvent::kind).toList();
    }

    private Instant inAnHour() {
        return clock.instant().plus(Duration.ofHours(1));
    }

    private Instant aMinuteAgo() {
        return clock.instant().minus(Duration.ofMinutes(1));
    }

    private static Secret token(CompletableFuture<Secret> future) throws Exception {
        return future.get(WAIT.toSeconds(), SECONDS);
    }

    /** The person-facing failure the future ends with, remembered for the look for tokens. */
    private SignInUnavailable failure(CompletableFuture<?> future) {
        Throwable thrown = null;
        try {
            future.get(WAIT.toSeconds(), SECONDS);
        } catch (ExecutionException e) {
            thrown = e.getCause();
        } catch (Exception e) {
            thrown = e;
        }
        assertThat(thrown).isInstanceOf(SignInUnavailable.class);
        messages.add(thrown.getMessage());
        return (SignInUnavailable) thrown;
    }

    private void awaitFileHolds(Secret access) throws Exception {
        Await.until(WAIT, "the host's file to hold the new access token", () -> host.accessToken().equals(access));
    }

    @Test
    void anExpiredSignInIsRefreshedAndWrittenBackPrivateWithEveryOtherKeyKept() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        host.signIn(first, aMinuteAgo());

        Secret fresh = token(keeper().accessToken());

        assertThat(fresh).isNotEqualTo(first.access());
        awaitFileHolds(fresh);
        assertThat(endpoint.refreshes()).isEqualTo(1);
        assertThat(endpoint.accepts(host.refreshToken())).isTrue();
        assertThat(((Number) host.oauth().get("expiresAt")).longValue())
                .isEqualTo(clock.instant().plus(Duration.ofHours(8)).toEpochMilli());
        assertThat(host.tree()).containsKey("mcpOAuth");
        assertThat(host.oauth()).containsEntry("subscriptionType", "max")
                .containsEntry("rateLimitTier", "default_claude_max_20x");
        assertThat(host.scopes()).containsExactlyElementsOf(FakeTokenEndpoint.SCOPES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host.file()))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".credentials.json");
        }
        assertThat(kinds()).containsExactly(Kind.REFRESHED);
    }

    @Test
    void theWrittenFileKeepsItsOwnerAndGroupAndBecomesPrivate() throws Exception {
        host.signIn(endpoint.login(), aMinuteAgo());
        Files.setPosixFilePermissions(host.file(), PosixFilePermissions.fromString("rw-r--r--"));
        Object uid = Files.getAttribute(host.file(), "unix:uid");
        Object gid = Files.getAttribute(host.file(), "unix:gid");

        Secret fresh = token(keeper().accessToken());

        awaitFileHolds(fresh);
        assertThat(Files.getAttribute(host.file(), "unix:uid")).isEqualTo(uid);
        assertThat(Files.getAttribute(host.file(), "unix:gid")).isEqualTo(gid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host.file()))).isEqualTo("rw-------");
    }

    @Test
    void aSignInTheHostWroteIsAdoptedWithoutARefresh() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        host.signIn(first, inAnHour());
        SignInKeeper keeper = keeper();
        assertThat(token(keeper.accessToken())).isEqualTo(first.access());

        FakeTokenEndpoint.Pair anew = endpoint.login();
        host.signIn(anew, inAnHour());

        assertThat(token(keeper.accessToken())).isEqualTo(anew.access());
        assertThat(endpoint.calls()).isZero();
        assertThat(kinds()).containsExactly(Kind.ADOPTED);
        assertThat(keeper.known()).contains(anew.access(), anew.refresh());
    }

    @Test
    void threeKeepersOnOneExpiredFileRefreshOnceAndShareTheNewPair() throws Exception {
        host.signIn(endpoint.login(), aMinuteAgo());
        // the answer waits until all three started, so that none starts from a file another already wrote
        CompletableFuture<Void> answers = endpoint.holdAnswers();
        List<SignInKeeper> three = List.of(keeper(), keeper(), keeper());

        List<CompletableFuture<Secret>> asked = three.stream().map(SignInKeeper::accessToken).toList();
        Await.until(WAIT, "one keeper to ask the endpoint", () -> endpoint.calls() == 1);
        answers.complete(null);
        List<Secret> got = new ArrayList<>();
        for (CompletableFuture<Secret> future : asked) {
            got.add(token(future));
        }

        assertThat(got).containsOnly(got.get(0));
        assertThat(endpoint.refreshes()).isEqualTo(1);
        assertThat(endpoint.calls()).isEqualTo(1);
        assertThat(endpoint.reuses()).isZero();
        awaitFileHolds(got.get(0));
        assertThat(endpoint.accepts(host.refreshToken())).isTrue();
        assertThat(kinds()).containsExactlyInAnyOrder(Kind.REFRESHED, Kind.ADOPTED, Kind.ADOPTED);
    }

    @Test
    void aKeeperWhosePairAnotherPartyRefreshedAdoptsTheFileInsteadOfSendingTheSpentToken() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        host.signIn(first, clock.instant().plus(Duration.ofMinutes(10)));
        SignInKeeper keeper = keeper();
        assertThat(token(keeper.accessToken())).isEqualTo(first.access());

        TokenExchange.Tokens theirs = endpoint.refresh(first.refresh(), FakeTokenEndpoint.SCOPES).join();
        host.signIn(new FakeTokenEndpoint.Pair(theirs.accessToken(), theirs.refreshToken().orElseThrow()),
                clock.instant().plus(Duration.ofHours(8)));
        clock.advance(Duration.ofMinutes(11));

        assertThat(token(keeper.accessToken())).isEqualTo(theirs.accessToken());
        assertThat(endpoint.reuses()).isZero();
        assertThat(endpoint.refreshes()).isEqualTo(1);
        assertThat(kinds()).containsExactly(Kind.ADOPTED);
    }

    @Test
    void aPairRewrittenUnderAnUnchangedStampIsFoundUnderTheRefreshLock() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        Instant expires = clock.instant().plus(Duration.ofMinutes(10));
        host.signIn(first, expires);
        SignInKeeper keeper = keeper();
        assertThat(token(keeper.accessToken())).isEqualTo(first.access());
        FileStamp before = FileStamp.of(host.file());

        TokenExchange.Tokens theirs = endpoint.refresh(first.refresh(), FakeTokenEndpoint.SCOPES).join();
        host.rewriteInPlace(new FakeTokenEndpoint.Pair(theirs.accessToken(), theirs.refreshToken().orElseThrow()),
                expires.plus(Duration.ofHours(1)), before.modified());
        assertThat(FileStamp.of(host.file())).isEqualTo(before);
        clock.advance(Duration.ofMinutes(11));

        assertThat(token(keeper.accessToken())).isEqualTo(theirs.accessToken());
        assertThat(endpoint.reuses()).isZero();
        assertThat(endpoint.refreshes()).isEqualTo(1);
    }

    @Test
    void manyReportsOfOneRefusedTokenRefreshOnceAndAReportOfAnOldOneNone() throws Exception {
        host.signIn(endpoint.login(), inAnHour());
        SignInKeeper keeper = keeper();
        Secret refused = token(keeper.accessToken());

        ExecutorService reporters = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> reports = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reports.add(reporters.submit(() -> {
                    go.await();
                    keeper.refused(refused);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> report : reports) {
                report.get(WAIT.toSeconds(), SECONDS);
            }
        } finally {
            reporters.shutdownNow();
        }
        Secret fresh = token(keeper.accessToken());
        assertThat(fresh).isNotEqualTo(refused);
        assertThat(endpoint.refreshes()).isEqualTo(1);

        keeper.refused(refused);
        // a changed stamp sends the next request through a pass, which would run after any refresh the report queued
        Files.setLastModifiedTime(host.file(), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(token(keeper.accessToken())).isEqualTo(fresh);
        assertThat(endpoint.refreshes()).isEqualTo(1);
        assertThat(endpoint.reuses()).isZero();
    }

    @Test
    void aGuestAskingInALoopRefreshesNothingWhileTheTokenIsGoodAndAtMostOnceAMinuteNearExpiry() throws Exception {
        endpoint.lifetime(Duration.ofMinutes(2));
        host.signIn(endpoint.login(), inAnHour());
        SignInKeeper keeper = keeper();
        for (int i = 0; i < 20; i++) {
            keeper.guestRefresh().get(WAIT.toSeconds(), SECONDS);
        }
        assertThat(endpoint.calls()).isZero();

        clock.advance(Duration.ofMinutes(56));
        for (int i = 0; i < 20; i++) {
            keeper.guestRefresh().get(WAIT.toSeconds(), SECONDS);
        }
        assertThat(endpoint.refreshes()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
            keeper.guestRefresh().get(WAIT.toSeconds(), SECONDS);
        }
        assertThat(endpoint.refreshes()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 20; i++) {
            keeper.guestRefresh().get(WAIT.toSeconds(), SECONDS);
        }
        assertThat(endpoint.refreshes()).isEqualTo(2);
        assertThat(endpoint.reuses()).isZero();
    }

    @Test
    void twoPassingFailuresAreRetriedAfterOneAndTwoSeconds() throws Exception {
        endpoint.failNext(2);
        host.signIn(endpoint.login(), aMinuteAgo());

        Secret fresh = token(keeper().accessToken());

        awaitFileHolds(fresh);
        assertThat(endpoint.calls()).isEqualTo(3);
        assertThat(endpoint.refreshes()).isEqualTo(1);
        assertThat(sleeper.asked()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(kinds()).containsExactly(Kind.REFRESHED);
    }

    @Test
    void aRefreshThatKeepsFailingIsUnavailableUntilTheEndpointRecovers() throws Exception {
        endpoint.failNext(Integer.MAX_VALUE);
        host.signIn(endpoint.login(), aMinuteAgo());
        SignInKeeper keeper = keeper();

        SignInUnavailable failed = failure(keeper.accessToken());

        assertThat(failed).hasMessageContaining("could not be refreshed").hasMessageContaining("connection reset")
                .hasMessageContaining("/login");
        assertThat(sleeper.asked()).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(kinds()).contains(Kind.REFRESH_FAILED);
        assertThat(endpoint.calls() % 4).isZero();

        endpoint.failNext(0);
        int calls = endpoint.calls();
        assertThat(failure(keeper.accessToken())).as("a request just after a failed refresh gets its failure at once")
                .hasMessageContaining("could not be refreshed");
        assertThat(endpoint.calls()).isEqualTo(calls);
        clock.advance(Duration.ofSeconds(11));
        Secret fresh = token(keeper.accessToken());
        awaitFileHolds(fresh);
        assertThat(endpoint.refreshes()).isEqualTo(1);
    }

    @Test
    void aRefreshWhoseAnswerIsLostNeverSendsItsTokenAgainAndWaitsForTheFileToChange() throws Exception {
        endpoint.loseAnswers(true);
        host.signIn(endpoint.login(), aMinuteAgo());
        SignInKeeper keeper = keeper();

        SignInUnavailable failed = failure(keeper.accessToken());

        assertThat(failed).hasMessageContaining("could not be refreshed").hasMessageContaining("not sent again")
                .hasMessageContaining("/login");
        assertThat(endpoint.calls()).as("no retry with a token that may be spent").isEqualTo(1);
        assertThat(failure(keeper.accessToken())).hasMessageContaining("not sent again");
        assertThat(endpoint.calls()).isEqualTo(1);
        assertThat(endpoint.reuses()).isZero();

        endpoint.loseAnswers(false);
        host.signIn(endpoint.login(), aMinuteAgo());
        Secret fresh = token(keeper.accessToken());
        awaitFileHolds(fresh);
        assertThat(endpoint.reuses()).isZero();
    }

    @Test
    void aRefusedSignInIsSignedOutUntilThePersonSignsInAgainAndTheFileIsLeftAlone() throws Exception {
        host.signIn(endpoint.login(), aMinuteAgo());
        byte[] before = Files.readAllBytes(host.file());
        endpoint.revokeAll();
        SignInKeeper keeper = keeper();

        SignInUnavailable failed = failure(keeper.accessToken());

        assertThat(failed).hasMessageContaining("run claude on the host, then /login");
        assertThat(failure(keeper.accessToken())).hasMessage(failed.getMessage());
        assertThat(kinds()).containsExactly(Kind.SIGNED_OUT);
        assertThat(Files.readAllBytes(host.file())).isEqualTo(before);
        assertThat(endpoint.calls()).isEqualTo(1);

        FakeTokenEndpoint.Pair anew = endpoint.login();
        host.signIn(anew, inAnHour());

        assertThat(token(keeper.accessToken())).isEqualTo(anew.access());
        assertThat(kinds()).containsExactly(Kind.SIGNED_OUT, Kind.ADOPTED);
    }

    @Test
    void aRequestMadeAsAPassEndsIsAnsweredFromTheFileAsItIsThen() throws Exception {
        host.signIn(endpoint.login(), aMinuteAgo());
        endpoint.revokeAll();
        CompletableFuture<Void> answers = endpoint.holdAnswers();
        AtomicReference<SignInKeeper> keeper = new AtomicReference<>();
        FakeTokenEndpoint.Pair anew = endpoint.login();
        CompletableFuture<CompletableFuture<Secret>> joined = new CompletableFuture<>();
        // told as the pass gives up, after its last look at the file: the person signs in again and a request comes
        keeper.set(keeper(KeeperTimes.DEFAULT, event -> {
            if (event.kind() == Kind.SIGNED_OUT) {
                host.signIn(anew, inAnHour());
                joined.complete(keeper.get().accessToken());
            }
        }));
        answers.complete(null);

        assertThat(token(joined.get(WAIT.toSeconds(), SECONDS))).isEqualTo(anew.access());
        assertThat(kinds()).containsExactly(Kind.SIGNED_OUT, Kind.ADOPTED);
    }

    @Test
    void aRefusalAfterAnotherPartyRefreshedFirstAdoptsItsPair() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        host.signIn(first, aMinuteAgo());
        List<TokenExchange.Tokens> theirs = new ArrayList<>();
        // a party that ignores the lock refreshes the same token a moment before the keeper's request lands
        endpoint.beforeNextAnswer(() -> {
            TokenExchange.Tokens t = endpoint.refresh(first.refresh(), FakeTokenEndpoint.SCOPES).join();
            theirs.add(t);
            host.signIn(new FakeTokenEndpoint.Pair(t.accessToken(), t.refreshToken().orElseThrow()),
                    clock.instant().plus(Duration.ofHours(8)));
        });

        Secret got = token(keeper().accessToken());

        assertThat(got).isEqualTo(theirs.get(0).accessToken());
        assertThat(kinds()).containsExactly(Kind.ADOPTED);
        assertThat(endpoint.refreshes()).isEqualTo(1);
    }

    @Test
    void aSignInThePersonMadeDuringARefreshKeepsTheFileAndTheKeeperKeepsItsOwnPair() throws Exception {
        host.signIn(endpoint.login(), aMinuteAgo());
        CompletableFuture<Void> answers = endpoint.holdAnswers();
        SignInKeeper keeper = keeper();
        CompletableFuture<Secret> asked = keeper.accessToken();
        Await.until(WAIT, "the keeper to ask the endpoint", () -> endpoint.calls() == 1);

        FakeTokenEndpoint.Pair anew = endpoint.login();
        host.signIn(anew, inAnHour());
        answers.complete(null);
        Secret own = token(asked);

        Await.until(WAIT, "the write-back to be given up", () -> kinds().contains(Kind.WRITE_BACK_FAILED));
        assertThat(own).isNotEqualTo(anew.access());
        assertThat(host.accessToken()).isEqualTo(anew.access());
        assertThat(token(keeper.accessToken())).isEqualTo(own);
        assertThat(kinds()).containsExactly(Kind.REFRESHED, Kind.WRITE_BACK_FAILED);
    }

    @Test
    void aSignInWithoutARefreshTokenIsUsedUntilItExpires() throws Exception {
        FakeTokenEndpoint.Pair once = new FakeTokenEndpoint.Pair(endpoint.login().access(), null);
        host.signIn(once, clock.instant().plus(Duration.ofMinutes(3)));
        SignInKeeper keeper = keeper();

        assertThat(token(keeper.accessToken())).isEqualTo(once.access());

        clock.advance(Duration.ofMinutes(4));
        assertThat(failure(keeper.accessToken())).hasMessageContaining("no refresh token")
                .hasMessageContaining("/login");
        assertThat(endpoint.calls()).isZero();
    }

    @Test
    void knownHoldsThisAndTheLastGenerationsAndGenerationCountsChanges() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        host.signIn(first, inAnHour());
        SignInKeeper keeper = keeper();
        long before = keeper.generation();
        assertThat(keeper.known()).containsExactly(first.access(), first.refresh());

        keeper.refused(first.access());
        Secret fresh = token(keeper.accessToken());

        assertThat(keeper.generation()).isGreaterThan(before);
        assertThat(keeper.known()).hasSize(4).startsWith(fresh).contains(first.access(), first.refresh());
        assertThat(keeper.scopes()).containsExactlyElementsOf(FakeTokenEndpoint.SCOPES);
    }

    @Test
    void startFailsNamingTheFileWhenItHoldsNoSignInAndNeverQuotesIt() throws Exception {
        assertThatThrownBy(this::keeper).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(host.file().toString()).hasMessageContaining("/login");

        Files.writeString(host.file(), "{\"claudeAiOauth\":{}}");
        assertThatThrownBy(this::keeper).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no Claude sign-in");

        Secret leaked = endpoint.login().access();
        Files.writeString(host.file(), "{\"claudeAiOauth\":{\"accessToken\":\"" + leaked.reveal() + "\",}");
        Throwable thrown = catchThrowable(this::keeper);
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining(host.file().toString());
        messages.add(thrown.getMessage());
    }

    @Test
    void aFileLeftAtAnOlderPairIsNeverAdoptedBackAndTheNextRefreshWritesOver() throws Exception {
        FakeTokenEndpoint.Pair first = endpoint.login();
        host.signIn(first, aMinuteAgo());
        Path writeLock = Files.createDirectory(host.lock(".storage-write.lock"));
        SignInKeeper keeper = keeper();
        Secret fresh = token(keeper.accessToken());
        Await.until(WAIT, "the write-back to be put off", () -> kinds().contains(Kind.WRITE_BACK_FAILED));
        assertThat(host.refreshToken()).isEqualTo(first.refresh());

        // the file is saved again as it was: its stamp changes, its pair is the spent one
        Files.setLastModifiedTime(host.file(), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(token(keeper.accessToken())).isEqualTo(fresh);
        assertThat(kinds()).doesNotContain(Kind.ADOPTED);

        Files.delete(writeLock);
        clock.advance(Duration.ofHours(9));
        Secret next = token(keeper.accessToken());

        awaitFileHolds(next);
        assertThat(endpoint.accepts(host.refreshToken())).isTrue();
        assertThat(endpoint.refreshes()).isEqualTo(2);
        assertThat(endpoint.reuses()).isZero();
    }

    @Test
    void aWriteBackTheWriteLockHeldUpIsDoneOnceTheLockIsFree() throws Exception {
        host.signIn(endpoint.login(), aMinuteAgo());
        Path writeLock = Files.createDirectory(host.lock(".storage-write.lock"));
        KeeperTimes times = new KeeperTimes(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(60),
                List.of(Duration.ofSeconds(1)), Duration.ofMillis(50), LockRules.REFRESH, LockRules.WRITE);

        Secret fresh = token(keeper(times).accessToken());
        Await.until(WAIT, "the write-back to be put off", () -> kinds().contains(Kind.WRITE_BACK_FAILED));
        assertThat(host.accessToken()).isNotEqualTo(fresh);

        Files.delete(writeLock);
        awaitFileHolds(fresh);
        assertThat(endpoint.refreshes()).isEqualTo(1);
        assertThat(Files.exists(writeLock)).isFalse();
    }
}
