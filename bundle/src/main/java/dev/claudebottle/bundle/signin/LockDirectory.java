package dev.claudebottle.bundle.signin;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One of Claude Code's lock directories, with proper-lockfile's semantics, so the host and every
 * bottle exclude each other: taken by {@code mkdir}; when it exists and its mtime is older than the
 * stale time, removed ({@code rmdir}) and taken anew; its holder touches its mtime; released by
 * {@code rmdir}. Claude Code's owner record beside it is neither written nor removed.
 */
final class LockDirectory {
    private final Path dir;
    private final LockRules rules;
    private final Clock wall;

    /**
     * The lock named by {@code rules} in {@code folder}; {@code wall} judges staleness and must be the
     * real clock, since the mtimes it is compared with are the file system's.
     */
    LockDirectory(Path folder, LockRules rules, Clock wall) {
        this.dir = folder.resolve(rules.name());
        this.rules = rules;
        this.wall = wall;
    }

    /** The directory's path. */
    Path path() {
        return dir;
    }

    /**
     * Takes the lock, waiting between tries while another party holds it.
     *
     * @throws TransientFailure when it stayed taken through every try, or could not be made
     */
    Hold take(Sleeper sleeper) throws TransientFailure, InterruptedException {
        for (int tried = 0; ; tried++) {
            Optional<Hold> hold;
            try {
                hold = tryTake();
            } catch (IOException e) {
                throw new TransientFailure("could not take " + dir + ": " + e.getClass().getSimpleName());
            }
            if (hold.isPresent()) {
                return hold.get();
            }
            if (tried >= rules.tries()) {
                throw new TransientFailure(dir + " stayed taken by another party");
            }
            sleeper.sleep(pause());
        }
    }

    /** Takes the lock if no other party holds it, taking over a stale one. */
    Optional<Hold> tryTake() throws IOException {
        if (make()) {
            return Optional.of(new Hold());
        }
        if (!stale()) {
            return Optional.empty();
        }
        try {
            Files.delete(dir);
        } catch (NoSuchFileException gone) {
            // another party removed it first: the race proper-lockfile tolerates too
        } catch (DirectoryNotEmptyException foreign) {
            return Optional.empty();
        }
        // only one try after a take-over, as proper-lockfile: a second party that took it meanwhile holds it
        return make() ? Optional.of(new Hold()) : Optional.empty();
    }

    private boolean make() throws IOException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
    }

    private boolean stale() throws IOException {
        try {
            Instant touched = Files.getLastModifiedTime(dir).toInstant();
            return touched.isBefore(wall.instant().minus(rules.stale()));
        } catch (NoSuchFileException gone) {
            return true;
        }
    }

    private Duration pause() {
        long shortest = rules.shortestWait().toMillis();
        long longest = rules.longestWait().toMillis();
        return Duration.ofMillis(shortest == longest ? shortest : ThreadLocalRandom.current().nextLong(shortest, longest + 1));
    }

    /** The lock while this keeper holds it; closing it releases it. */
    final class Hold implements AutoCloseable {
        private Instant touched = wall.instant();

        private Hold() {
        }

        /** Renews the lock's mtime when it is due, so no other party takes it for stale while we work. */
        void touchIfDue() {
            Instant now = wall.instant();
            if (Duration.between(touched, now).compareTo(rules.touchEvery()) < 0) {
                return;
            }
            touched = now;
            try {
                Files.setLastModifiedTime(dir, FileTime.from(now));
            } catch (IOException e) {
                // a lock taken over as stale is another party's now; our work under it ends soon anyway
            }
        }

        /** The time between two touches. */
        Duration touchEvery() {
            return rules.touchEvery();
        }

        /** Releases the lock. */
        @Override
        public void close() {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a directory another party filled is not ours to empty; it goes stale by itself
            }
        }
    }
}
