package dev.claudebottle.spi.testing;

import java.time.Duration;
import java.util.Optional;

/**
 * A test's wait for what happens on another thread or in another process: it looks until a
 * condition holds and fails, naming what it waited for, once the time given has passed. A test
 * that shows something did not happen waits with it for an event that would have come after.
 */
public final class Await {
    /** The first pause between looks: most waits in unit tests end within a few. */
    private static final long FIRST_PAUSE_MS = 20;
    /** The longest pause, reached by doubling: a long wait (a container) is not looked at back to back. */
    private static final long LONGEST_PAUSE_MS = 200;

    /** What a test waits for; what it throws ends the wait. */
    @FunctionalInterface
    public interface Condition {
        /** Whether it holds now. */
        boolean holds() throws Exception;
    }

    /** A look for a value a test waits for; what it throws ends the wait. */
    @FunctionalInterface
    public interface Lookup<T> {
        /** The value, or empty while it is not there yet. */
        Optional<T> look() throws Exception;
    }

    /** What a test waited for, told only when the wait fails, so it can show what was there instead. */
    @FunctionalInterface
    public interface Description {
        /** The words for the failure: "waited … for" them. */
        String tell() throws Exception;
    }

    private Await() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} once {@code within} has passed. */
    public static void until(Duration within, String what, Condition condition) throws Exception {
        until(within, () -> what, condition);
    }

    /** As {@link #until(Duration, String, Condition)}; {@code what} is asked for on failing, to tell what was there. */
    public static void until(Duration within, Description what, Condition condition) throws Exception {
        value(within, what, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** The value {@code lookup} finds; fails naming {@code what} once {@code within} has passed. */
    public static <T> T value(Duration within, String what, Lookup<T> lookup) throws Exception {
        return value(within, () -> what, lookup);
    }

    /** As {@link #value(Duration, String, Lookup)}; {@code what} is asked for on failing, to tell what was there. */
    public static <T> T value(Duration within, Description what, Lookup<T> lookup) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        long pause = FIRST_PAUSE_MS;
        while (true) {
            Optional<T> found = lookup.look();
            if (found.isPresent()) {
                return found.get();
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                long ms = within.toMillis();
                throw new AssertionError("waited " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + " for "
                        + what.tell());
            }
            // the last look comes at the deadline, not a pause after it
            Thread.sleep(Math.min(pause, left / 1_000_000 + 1));
            pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
        }
    }
}
