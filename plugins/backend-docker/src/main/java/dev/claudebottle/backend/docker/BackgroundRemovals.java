package dev.claudebottle.backend.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Container removals that run while a launch goes on unwinding: the guest and the bundle go at
 * the same time, and whatever needs them gone (their network) waits for {@link #awaitAll()}. Once
 * that has been waited for, nothing waits any more: a removal that comes later (a step that landed
 * after a teardown began) runs at once, so the process cannot end with it half done.
 */
final class BackgroundRemovals {
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private boolean drained;

    /** Starts a removal on its own daemon thread, or runs it now when nothing would wait for it. */
    void submit(String what, Runnable removal) {
        synchronized (this) {
            if (!drained) {
                pending.add(DaemonThread.run("remove " + what, removal));
                return;
            }
        }
        removal.run();
    }

    /** Waits for every removal started so far; the first failure is rethrown once all ended. */
    void awaitAll() {
        List<CompletableFuture<Void>> waiting;
        synchronized (this) {
            waiting = List.copyOf(pending);
            pending.clear();
            drained = true;
        }
        RuntimeException first = null;
        for (CompletableFuture<Void> removal : waiting) {
            try {
                removal.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
