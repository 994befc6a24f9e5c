package dev.claudebottle.bundle.signin;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How the keeper waits between tries; tests pass one that waits less, so backoffs and lock waits do not slow them. */
@FunctionalInterface
interface Sleeper {
    /** The real wait. */
    Sleeper REAL = pause -> TimeUnit.NANOSECONDS.sleep(pause.toNanos());

    /** Waits {@code pause}. */
    void sleep(Duration pause) throws InterruptedException;
}
