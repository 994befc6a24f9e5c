package dev.claudebottle.bundle.record;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines the rate limit left out since its last summary: how many of each sort
 * ({@link AuditRecord#summarisedAs}), and when the first and the last came, summed up in one record
 * line. The sorts are the record's own, a few dozen at most: any beyond that are counted as
 * {@code other}. Not thread-safe: the log holds its lock.
 */
final class DroppedLines {
    private static final int SORTS = 32;
    private final Map<String, Long> counts = new TreeMap<>();
    private long total;
    private Instant first;
    private Instant last;
    private String bottle = "";

    void add(AuditRecord record, String sort, Instant at) {
        if (total++ == 0) {
            first = at;
            bottle = record.bottle();
        }
        last = at;
        counts.merge(counts.containsKey(sort) || counts.size() < SORTS ? sort : "other", 1L, Long::sum);
    }

    boolean isEmpty() {
        return total == 0;
    }

    /** The summary line of what was left out, written at {@code now}; the tally starts again. */
    AuditRecord summary(Instant now, int perSecond) {
        StringBuilder sorts = new StringBuilder();
        counts.forEach((sort, n) -> sorts.append(sorts.isEmpty() ? "" : ", ").append(n).append(' ').append(sort));
        AuditRecord summary = new AuditRecord(now, bottle, "", "audit", "", "", 0, "", "dropped", "rate",
                total + " line(s) dropped from " + first + " to " + last + ": " + sorts + "; more than " + perSecond
                        + " refusals and notifications a second are counted, not written",
                0, 0, 0, Duration.between(first, last).toMillis());
        counts.clear();
        total = 0;
        return summary;
    }
}
