package dev.claudebottle.dashboard;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether what the page shows changed: one thread, started by the first page that listens, reads
 * the state twice a second however many pages listen, and each page's stream waits on it. The pages
 * then read the state themselves, once per change.
 */
final class Changes implements AutoCloseable {
    static final long LOOK_MS = 500;
    private final Supplier<String> state;
    private ScheduledExecutorService looker;
    private String last = "";
    private long generation;

    /** Watches what {@code state} says. */
    Changes(Supplier<String> state) {
        this.state = state;
    }

    /**
     * Waits up to {@code millis} for a change after {@code seen} (0 at first).
     *
     * @return the change count now; the same as {@code seen} when nothing changed meanwhile
     */
    synchronized long await(long seen, long millis) throws InterruptedException {
        if (looker == null) {
            looker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dashboard-changes");
                t.setDaemon(true);
                return t;
            });
            looker.scheduleWithFixedDelay(this::look, 0, LOOK_MS, TimeUnit.MILLISECONDS);
        }
        if (generation == seen) {
            wait(millis);
        }
        return generation;
    }

    private void look() {
        String now;
        try {
            now = state.get();
        } catch (RuntimeException e) {
            // a state that cannot be read now is read again at the next look
            return;
        }
        synchronized (this) {
            if (!now.equals(last)) {
                last = now;
                generation++;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (looker != null) {
            looker.shutdownNow();
        }
        notifyAll();
    }
}
