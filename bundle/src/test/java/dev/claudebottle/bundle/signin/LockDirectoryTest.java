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
        Path taken = dir.resolve(LockRules.REFRESH.name());
        try (LockDirectory.Hold hold = lock(LockRules.REFRESH).tryTake().orElseThrow()) {
            FileTime first = Files.getLastModifiedTime(taken);
            hold.touchIfDue();
            assertThat(Files.getLastModifiedTime(taken)).isEqualTo(first);
        }
        try (LockDirectory.Hold hold = lock(LockRules.REFRESH.touchingEvery(Duration.ZERO)).tryTake().orElseThrow()) {
            FileTime first = Files.getLastModifiedTime(taken);
            dev.claudebottle.spi.testing.Await.until(Duration.ofSeconds(5), "a touch to move the lock's time on", () -> {
                hold.touchIfDue();
                return Files.getLastModifiedTime(taken).compareTo(first) > 0;
            });
            assertThat(hold.stillOurs()).isTrue();
        }
        assertThat(taken).doesNotExist();
    }

    @Test
    void aLockAnotherPartyTookOverIsNoLongerOursAndIsLeftToIt() throws Exception {
        LockDirectory lock = lock(LockRules.REFRESH);
        LockDirectory.Hold hold = lock.tryTake().orElseThrow();
        assertThat(hold.stillOurs()).isTrue();

        // another party found it stale (this holder was paused) and made it anew, maybe on the same inode
        Files.delete(lock.path());
        Files.createDirectory(lock.path());
        Files.setLastModifiedTime(lock.path(), FileTime.from(Instant.now().plusMillis(1234)));

        assertThat(hold.stillOurs()).isFalse();
        hold.close();
        assertThat(lock.path()).as("the other party's lock stays").isDirectory();
    }

    @Test
    void aLockLeftUntouchedPastItsStaleTimeIsNoLongerCountedOurs() throws Exception {
        LockRules quick = new LockRules(LockRules.REFRESH.name(), Duration.ofMillis(50), Duration.ofSeconds(5), 0,
                Duration.ZERO, Duration.ZERO);
        LockDirectory.Hold hold = lock(quick).tryTake().orElseThrow();

        dev.claudebottle.spi.testing.Await.until(Duration.ofSeconds(5), "the stale time to pass", () ->
                !hold.stillOurs());
        hold.close();
    }
}
