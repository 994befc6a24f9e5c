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

    /** The directory's identity on its file system, to tell ours from one another party made in its place. */
    private Optional<Object> identity() {
        try {
            return Optional.ofNullable(Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey());
        } catch (IOException e) {
            return Optional.empty();
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
        private final Optional<Object> identity = identity();
        /** The mtime this holder last gave the directory, as the file system keeps it. */
        private Optional<FileTime> stamped = stamp(touched);

        private Hold() {
        }

        /**
         * Whether the lock is still this holder's: the directory it made is there, with the time it
         * last gave it (a directory made anew in its place, even on the same inode, has another), and
         * was not left untouched long enough for another party to take it over (a paused container).
         */
        boolean stillOurs() {
            return identity.isPresent() && identity().equals(identity) && stamped.isPresent()
                    && stamped.equals(mtime()) && Duration.between(touched, wall.instant()).compareTo(rules.stale()) < 0;
        }

        private Optional<FileTime> stamp(Instant when) {
            try {
                Files.setLastModifiedTime(dir, FileTime.from(when));
            } catch (IOException e) {
                return Optional.empty();
            }
            return mtime();
        }

        private Optional<FileTime> mtime() {
            try {
                return Optional.of(Files.getLastModifiedTime(dir));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** Renews the lock's mtime when it is due, so no other party takes it for stale while we work. */
        void touchIfDue() {
            Instant now = wall.instant();
            if (Duration.between(touched, now).compareTo(rules.touchEvery()) < 0 || !stillOurs()) {
                return;
            }
            touched = now;
            // a lock taken over as stale is another party's now: stillOurs says so, and our work under it ends
            stamped = stamp(now);
        }

        /** The time between two touches. */
        Duration touchEvery() {
            return rules.touchEvery();
        }

        /** Releases the lock. */
        @Override
        public void close() {
            if (!identity.isPresent() || !identity().equals(identity) || !stamped.equals(mtime())) {
                // another party made the directory anew after taking ours over: it is theirs to remove
                return;
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a directory another party filled is not ours to empty; it goes stale by itself
            }
        }
    }
}
