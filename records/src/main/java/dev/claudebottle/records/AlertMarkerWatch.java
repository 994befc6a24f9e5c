package dev.claudebottle.records;

import dev.claudebottle.contract.AlertMarker;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A watch for a bottle's first alert: the bundle tells the host of it only by the marker it leaves
 * in the record dir, so the marker is looked for every {@link #POLL_MS} milliseconds, either in the
 * caller's thread ({@link #await}) or on a daemon thread of its own (the constructor) until closed.
 */
public final class AlertMarkerWatch implements AutoCloseable {
    /** How long a watch waits between two looks at the marker. */
    public static final long POLL_MS = 500;
    private final Thread thread;

    /** Watches on a daemon thread, handing the first alert to {@code onAlert} on that thread. */
    public AlertMarkerWatch(RecordDir record, Consumer<AlertMarker> onAlert) {
        thread = new Thread(() -> {
            try {
                await(record, () -> true).ifPresent(onAlert);
            } catch (InterruptedException e) {
                // closed first: the bottle went, or no one watches it any more
            }
        }, "alert-watch " + record.slug());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits in this thread for the bottle's first alert while {@code watching} says so, asked before
     * each look at the marker.
     *
     * @return the first alert, or empty when {@code watching} ended the wait first
     */
    public static Optional<AlertMarker> await(RecordDir record, BooleanSupplier watching) throws InterruptedException {
        while (watching.getAsBoolean()) {
            Optional<AlertMarker> alert = record.alert();
            if (alert.isPresent()) {
                return alert;
            }
            Thread.sleep(POLL_MS);
        }
        return Optional.empty();
    }

    /** Whether the watch still looks: it ends once it handed the first alert over, or when closed. */
    boolean watching() {
        return thread.isAlive();
    }

    /** Stops watching; an alert being handed over is not waited for. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
