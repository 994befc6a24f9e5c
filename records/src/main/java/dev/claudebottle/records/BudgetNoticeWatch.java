package dev.claudebottle.records;

import dev.claudebottle.contract.UsageLine;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A watch for what a bottle's gateway tells of its budget (its warning share reached, the budget
 * spent): the gateway keeps its last such line with the running total ({@link UsageLine.Spent#notice}),
 * which is looked at every {@link AlertMarkerWatch#POLL_MS} milliseconds on a daemon thread until
 * closed. Each new line is handed over once; the one there when the watch began was told before.
 */
public final class BudgetNoticeWatch implements AutoCloseable {
    private final Thread thread;

    /** Watches {@code record}, handing each new budget line to {@code onNotice} on the watch's thread. */
    public BudgetNoticeWatch(RecordDir record, Consumer<String> onNotice) {
        Optional<String> before = notice(record);
        thread = new Thread(() -> {
            Optional<String> seen = before;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(AlertMarkerWatch.POLL_MS);
                    Optional<String> now = notice(record);
                    if (now.isPresent() && !now.equals(seen)) {
                        onNotice.accept(now.get());
                    }
                    seen = now.isPresent() ? now : seen;
                }
            } catch (InterruptedException e) {
                // closed: the bottle went, or no one watches it any more
            }
        }, "budget-watch " + record.slug());
        thread.setDaemon(true);
        thread.start();
    }

    private static Optional<String> notice(RecordDir record) {
        return record.spent().flatMap(UsageLine.Spent::notice);
    }

    /** Stops watching. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
