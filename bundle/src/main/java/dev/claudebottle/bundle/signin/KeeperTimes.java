package dev.claudebottle.bundle.signin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The keeper's times; tests shorten them.
 *
 * @param margin       a token expiring within this is refreshed before it is handed out
 * @param refreshFloor the least time between two refreshes that a near expiry alone may cause, so a
 *                     guest asking in a loop (or an endpoint handing out short tokens) cannot make the
 *                     keeper refresh over and over
 * @param answerWithin how long the token endpoint gets to answer one refresh
 * @param backoffs     the waits before each retry of a refresh that failed for a passing reason
 * @param writeRetry   when a write-back that failed for a passing reason is tried again
 * @param refreshLock  the refresh lock's rules
 * @param writeLock    the write lock's rules
 */
record KeeperTimes(Duration margin, Duration refreshFloor, Duration answerWithin, List<Duration> backoffs,
                   Duration writeRetry, LockRules refreshLock, LockRules writeLock) {
    /** Claude Code's own margin of five minutes, a minute's floor, and three retries after 1, 2 and 4 s. */
    static final KeeperTimes DEFAULT = new KeeperTimes(Duration.ofMinutes(5), Duration.ofMinutes(1),
            Duration.ofSeconds(60), List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)),
            Duration.ofSeconds(30), LockRules.REFRESH, LockRules.WRITE);

    /** Requires every part and copies the backoffs. */
    KeeperTimes {
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(refreshFloor, "refreshFloor");
        Objects.requireNonNull(answerWithin, "answerWithin");
        backoffs = List.copyOf(backoffs);
        Objects.requireNonNull(writeRetry, "writeRetry");
        Objects.requireNonNull(refreshLock, "refreshLock");
        Objects.requireNonNull(writeLock, "writeLock");
    }

    /** The same times with another margin. */
    KeeperTimes withMargin(Duration other) {
        return new KeeperTimes(other, refreshFloor, answerWithin, backoffs, writeRetry, refreshLock, writeLock);
    }

    /** The same times with the refresh lock touched every {@code every}. */
    KeeperTimes touchingRefreshLockEvery(Duration every) {
        return new KeeperTimes(margin, refreshFloor, answerWithin, backoffs, writeRetry,
                refreshLock.touchingEvery(every), writeLock);
    }
}
