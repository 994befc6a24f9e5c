package dev.claudebottle.bundle.signin;

import java.time.Duration;
import java.util.Objects;

/**
 * How one of Claude Code's lock directories is held and waited for.
 *
 * @param name         the directory's name in the sign-in folder
 * @param stale        how old its mtime must be before another party may take it over
 * @param touchEvery   how often its holder renews its mtime
 * @param tries        how many times a contended lock is tried again before giving up
 * @param shortestWait the shortest wait between two tries
 * @param longestWait  the longest wait between two tries (each wait is drawn between the two)
 */
record LockRules(String name, Duration stale, Duration touchEvery, int tries, Duration shortestWait,
                 Duration longestWait) {
    /**
     * Claude Code's refresh lock, with its stale and touch times; we wait longer than its five tries
     * (about 90 s) because a bottle's request would rather wait than fail.
     */
    static final LockRules REFRESH = new LockRules(".oauth_refresh.lock", Duration.ofSeconds(60),
            Duration.ofSeconds(5), 60, Duration.ofSeconds(1), Duration.ofSeconds(2));
    /**
     * Claude Code's lock around every write of the credentials file, with its own times; waited for
     * longer than it takes to go stale (about 22 s), as a refreshed pair must reach the file.
     */
    static final LockRules WRITE = new LockRules(".storage-write.lock", Duration.ofSeconds(15),
            Duration.ofMillis(7500), 40, Duration.ofMillis(100), Duration.ofSeconds(1));

    /** Requires every part and a wait range that is one. */
    LockRules {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stale, "stale");
        Objects.requireNonNull(touchEvery, "touchEvery");
        if (tries < 0 || shortestWait.compareTo(longestWait) > 0) {
            throw new IllegalArgumentException("tries must not be negative and the shortest wait not above the longest");
        }
    }

    /** The same rules with the holder touching the lock every {@code every}. */
    LockRules touchingEvery(Duration every) {
        return new LockRules(name, stale, every, tries, shortestWait, longestWait);
    }
}
