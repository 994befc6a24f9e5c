package dev.claudebottle.bundle.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock directory is taken, waited for, taken over and released as proper-lockfile does it. */
class LockDirectoryTest {
    @TempDir
    Path dir;

    private LockDirectory lock(LockRules rules) {
        return new LockDirectory(dir, rules, Clock.systemUTC());
    }

    private Path aged(Duration age) throws Exception {
        Path taken = Files.createDirectory(dir.resolve(LockRules.REFRESH.name()));
        Files.setLastModifiedTime(taken, FileTime.from(Instant.now().minus(age)));
        return taken;
    }

    @Test
    void aFreeLockIsTakenByMakingItsDirectoryAndReleasedByRemovingIt() throws Exception {
        LockDirectory lock = lock(LockRules.REFRESH);

        Optional<LockDirectory.Hold> hold = lock.tryTake();

        assertThat(hold).isPresent();
        assertThat(lock.path()).isDirectory().hasFileName(".oauth_refresh.lock");
        hold.get().close();
        assertThat(lock.path()).doesNotExist();
    }

    @Test
    void aFreshLockIsLeftToItsHolder() throws Exception {
        Path taken = aged(Duration.ofSeconds(30));

        assertThat(lock(LockRules.REFRESH).tryTake()).isEmpty();
        assertThat(taken).isDirectory();
    }

    @Test
    void aStaleLockIsTakenOverAndBearsTheNewHoldersTime() throws Exception {
        Path taken = aged(Duration.ofMinutes(2));

        assertThat(lock(LockRules.REFRESH).tryTake()).isPresent();
        assertThat(Files.getLastModifiedTime(taken).toInstant()).isAfter(Instant.now().minusSeconds(10));
    }

    @Test
    void aStaleLockSomeoneFilledIsNotEmptiedForThem() throws Exception {
        Path taken = aged(Duration.ofMinutes(2));
        Files.writeString(taken.resolve("theirs"), "x");

        assertThat(lock(LockRules.REFRESH).tryTake()).isEmpty();
        assertThat(taken.resolve("theirs")).exists();
    }

    @Test
    void aLockThatStaysTakenIsGivenUpOnAfterItsTries() throws Exception {
        aged(Duration.ZERO);
        LockRules rules = new LockRules(LockRules.REFRESH.name(), Duration.ofSeconds(60), Duration.ofSeconds(5), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        FastSleeper sleeper = new FastSleeper();

        assertThatThrownBy(() -> lock(rules).take(sleeper)).isInstanceOf(TransientFailure.class)
                .hasMessageContaining(".oauth_refresh.lock").hasMessageContaining("stayed taken");
        assertThat(sleeper.asked()).hasSize(3).allMatch(d -> d.compareTo(Duration.ofSeconds(1)) >= 0
                && d.compareTo(Duration.ofSeconds(2)) <= 0);
    }

    @Test
    void itsHolderTouchesItOnlyWhenATouchIsDue() throws Exception {
        Instant old = Instant.now().minus(Duration.ofSeconds(30));
        try (LockDirectory.Hold hold = lock(LockRules.REFRESH).tryTake().orElseThrow()) {
            Files.setLastModifiedTime(dir.resolve(LockRules.REFRESH.name()), FileTime.from(old));
            hold.touchIfDue();
            assertThat(Files.getLastModifiedTime(dir.resolve(LockRules.REFRESH.name())).toInstant()).isEqualTo(old);
        }
        try (LockDirectory.Hold hold = lock(LockRules.REFRESH.touchingEvery(Duration.ZERO)).tryTake().orElseThrow()) {
            Files.setLastModifiedTime(dir.resolve(LockRules.REFRESH.name()), FileTime.from(old));
            hold.touchIfDue();
            assertThat(Files.getLastModifiedTime(dir.resolve(LockRules.REFRESH.name())).toInstant()).isAfter(old);
        }
    }
}
