package dev.claudebottle.kernel.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tears a bottle down on Ctrl-C or SIGTERM. The hook unwinds at once (which closes the stack, so
 * the launch stops at its next step and a step that finishes meanwhile is undone as it lands),
 * waits for the launch thread to settle, and unwinds again before the process may exit.
 */
public final class Teardown {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private final UndoStack undo;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final Thread hook;

    /** Registers the shutdown hook for {@code undo}. */
    public Teardown(UndoStack undo) {
        this.undo = undo;
        this.hook = new Thread(() -> {
            undo.unwind();
            try {
                settled.await(SETTLE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            undo.unwind();
        }, "bottle-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The launch returned or failed: the hook need not wait for it any more. */
    public void settled() {
        settled.countDown();
    }

    /** Unwinds now (a normal exit) unless {@code keep}, and drops the hook. */
    public void finish(boolean keep) {
        settled();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        if (!keep) {
            undo.unwind();
        }
    }
}
