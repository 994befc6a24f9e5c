package dev.claudebottle.kernel.run;

import dev.claudebottle.records.RecordDir;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.contract.AlertMarker;
import dev.claudebottle.spi.command.InertText;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Watches an attached bottle for its first alert: shows it as a warning (its guest-written text
 * made inert) and, when the manifest says {@code on_alert: stop}, tears the bottle down; the
 * audit log is kept.
 */
final class AlertWatch implements AutoCloseable {
    private static final long POLL_MS = 500;
    private final Thread thread;

    AlertWatch(String slug, Path recordDir, boolean stop, Runnable teardown, EventSink events) {
        RecordDir record = new RecordDir(recordDir, slug);
        thread = new Thread(() -> {
            try {
                Optional<AlertMarker> alert = Optional.empty();
                while (alert.isEmpty()) {
                    Thread.sleep(POLL_MS);
                    alert = record.alert();
                }
                events.warn("ALERT in bottle " + slug + ": " + InertText.of(alert.get().rule()) + ": "
                        + InertText.of(alert.get().reason()) + "; the bottle is marked tainted"
                        + (stop ? " and stopped (on_alert: stop); its audit log is kept" : ""));
                if (stop) {
                    teardown.run();
                }
            } catch (InterruptedException e) {
                // the bottle went first
            }
        }, "alert-watch " + slug);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
