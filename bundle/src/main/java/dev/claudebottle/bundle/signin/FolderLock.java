package dev.claudebottle.bundle.signin;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A lock every Claude Code process honours: a directory made with {@code mkdir} (atomic), whose
 * holder touches its time every {@code update}, and which anyone may remove once it has not been
 * touched for {@code stale} (its holder died). The same protocol as the lock files Claude Code takes.
 */
final class FolderLock implements AutoCloseable {
    /** The sign-in's refresh lock: one refresh at a time, among every party using the sign-in. */
    static final Kind REFRESH = new Kind(".oauth_refresh.lock", Duration.ofSeconds(60), Duration.ofSeconds(5));
    /** The credentials file's write lock. */
    static final Kind WRITE = new Kind(".storage-write.lock", Duration.ofSeconds(15), Duration.ofMillis(7500));

    /**
     * A lock's name in the folder and its timings.
     *
     * @param name   the directory's name
     * @param stale  how long untouched before it counts as abandoned
     * @param update how often its holder touches it
     */
    record Kind(String name, Duration stale, Duration update) {
    }

    /** The lock stayed taken by another party for longer than the taker would wait. */
    static final class Contended extends IOException {
        Contended(String name, Duration waited) {
            super(name + " stayed taken by another process for " + waited.toSeconds() + "s");
        }
    }

    private final Path dir;
    private final ScheduledFuture<?> touching;

    private FolderLock(Path dir, ScheduledFuture<?> touching) {
        this.dir = dir;
        this.touching = touching;
    }

    /**
     * Takes {@code kind} in {@code folder}, waiting while another party holds it, up to {@code patience};
     * it is touched on {@code timer} while held.
     */
    static FolderLock take(Path folder, Kind kind, Duration patience, Sleeper sleeper,
                           ScheduledExecutorService timer) throws IOException, InterruptedException {
        Path dir = folder.resolve(kind.name());
        long waitedMs = 0;
        while (true) {
            try {
                Files.createDirectory(dir);
                ScheduledFuture<?> touching = timer.scheduleAtFixedRate(() -> touch(dir), kind.update().toMillis(),
                        kind.update().toMillis(), TimeUnit.MILLISECONDS);
                return new FolderLock(dir, touching);
            } catch (FileAlreadyExistsException taken) {
                if (stale(dir, kind)) {
                    removeAbandoned(dir);
                    continue;
                }
            }
            if (waitedMs >= patience.toMillis()) {
                throw new Contended(kind.name(), Duration.ofMillis(waitedMs));
            }
            long step = 1000 + ThreadLocalRandom.current().nextLong(1000);
            sleeper.sleep(Duration.ofMillis(step));
            waitedMs += step;
        }
    }

    private static boolean stale(Path dir, Kind kind) throws IOException {
        try {
            FileTime touched = Files.getLastModifiedTime(dir);
            return System.currentTimeMillis() - touched.toMillis() > kind.stale().toMillis();
        } catch (NoSuchFileException gone) {
            return true;
        }
    }

    private static void removeAbandoned(Path dir) throws IOException {
        try {
            Files.delete(dir);
        } catch (NoSuchFileException | DirectoryNotEmptyException raced) {
            // another party removed or retook it first: the next try sees which
        }
    }

    private static void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // gone or taken over: the holder finds out when it releases
        }
    }

    @Override
    public void close() {
        touching.cancel(false);
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // another party took it over as stale; nothing of ours is left in it
        }
    }
}
