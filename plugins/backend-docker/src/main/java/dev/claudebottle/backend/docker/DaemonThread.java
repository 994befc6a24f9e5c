package dev.claudebottle.backend.docker;

import java.util.concurrent.CompletableFuture;

/**
 * Work on a daemon thread of its own, for work that may block on I/O (a removal, a stream that
 * never ends): a shared pool, which has one thread on a two-core machine, must never wait on it.
 */
public final class DaemonThread {
    private DaemonThread() {
    }

    /** Starts {@code work} on a daemon thread named {@code name}; the future ends as it does. */
    public static CompletableFuture<Void> run(String name, Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }
}
