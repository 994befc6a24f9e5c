package dev.claudebottle.kernel.run;

import dev.claudebottle.records.AlertMarkerWatch;
import dev.claudebottle.records.BudgetNoticeWatch;
import dev.claudebottle.records.RecordDir;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.command.InertText;
import java.nio.file.Path;

/**
 * Watches an attached bottle for its first alert: shows it as a warning (its guest-written text
 * made inert) and, when the manifest says {@code on_alert: stop}, tears the bottle down; the
 * audit log is kept. Shows what the gateway tells of the bottle's budget too.
 */
final class AlertWatch implements AutoCloseable {
    private final AlertMarkerWatch watch;
    private final BudgetNoticeWatch budget;

    AlertWatch(String slug, Path recordDir, boolean stop, Runnable teardown, EventSink events) {
        watch = new AlertMarkerWatch(new RecordDir(recordDir, slug), alert -> {
            events.warn("ALERT in bottle " + slug + ": " + InertText.of(alert.rule()) + ": "
                    + InertText.of(alert.reason()) + "; the bottle is marked tainted"
                    + (stop ? " and stopped (on_alert: stop); its audit log is kept" : ""));
            if (stop) {
                teardown.run();
            }
        });
        budget = new BudgetNoticeWatch(new RecordDir(recordDir, slug), notice -> events.warn("bottle " + slug + ": "
                + InertText.of(notice)));
    }

    @Override
    public void close() {
        watch.close();
        budget.close();
    }
}
