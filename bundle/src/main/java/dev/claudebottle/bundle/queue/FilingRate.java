package dev.claudebottle.bundle.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often the agent may file questions and notifications: a bucket of {@code perMinute} filings
 * that refills evenly over a minute. What it refuses is counted by what it was, so the record can
 * say what was dropped rather than hold every refusal.
 */
public final class FilingRate {
    /** Filings a minute the agent gets by default: a person cannot read more. */
    public static final int DEFAULT_PER_MINUTE = 20;
    private final int capacity;
    private final Duration refill;
    private final Clock clock;
    private double tokens;
    private Instant last;
    private final Map<String, Integer> dropped = new TreeMap<>();
    private Instant firstDrop;

    /**
     * What was refused since the last time it was asked.
     *
     * @param counts how many of each kind
     * @param since  when the first of them was refused
     * @param perMinute the rate they were over
     */
    public record Dropped(Map<String, Integer> counts, Instant since, int perMinute) {
        /** Copies the counts. */
        public Dropped {
            counts = Map.copyOf(counts);
        }

        /** Whether anything was refused. */
        public boolean any() {
            return !counts.isEmpty();
        }

        /** In words, for the record: {@code 40 notifications, 3 requests dropped since T (over N a minute)}. */
        public String describe() {
            StringBuilder out = new StringBuilder();
            new TreeMap<>(counts).forEach((what, n) -> out.append(out.length() == 0 ? "" : ", ").append(n)
                    .append(' ').append(what));
            return out + " dropped since " + since + " (over " + perMinute + " a minute)";
        }
    }

    private FilingRate(int perMinute, Clock clock) {
        this.capacity = perMinute;
        this.refill = Duration.ofMinutes(1).dividedBy(perMinute);
        this.clock = clock;
        this.tokens = perMinute;
        this.last = clock.instant();
    }

    /** A rate of {@code perMinute} filings a minute, a full minute's worth available at once. */
    public static FilingRate perMinute(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        return new FilingRate(perMinute, clock);
    }

    /** The filings a minute. */
    public int perMinute() {
        return capacity;
    }

    /** Takes one filing of {@code what}, or counts it dropped and refuses it. */
    synchronized void take(String what) throws ApprovalQueue.Refused {
        Instant now = clock.instant();
        double earned = (double) Duration.between(last, now).toNanos() / refill.toNanos();
        tokens = Math.min(capacity, tokens + Math.max(0, earned));
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return;
        }
        if (dropped.isEmpty()) {
            firstDrop = now;
        }
        dropped.merge(what, 1, Integer::sum);
        throw new ApprovalQueue.Refused("you sent more than " + capacity + " requests and notifications this "
                + "minute; this one was dropped. Wait before sending more");
    }

    synchronized Dropped drain() {
        Dropped out = new Dropped(dropped, dropped.isEmpty() ? Instant.EPOCH : firstDrop, capacity);
        dropped.clear();
        return out;
    }
}
