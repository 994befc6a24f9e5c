package dev.claudebottle.bundle.signin;

import java.time.Duration;

/** Waits between tries; a test's waits pass at once. */
@FunctionalInterface
interface Sleeper {
    /** The real wait. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    /** Waits {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
