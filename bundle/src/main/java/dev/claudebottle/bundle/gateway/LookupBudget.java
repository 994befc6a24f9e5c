package dev.claudebottle.bundle.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How many names no rule covers the gateway looks up for a bottle before a person answers: at
 * most {@link #PER_MINUTE} new names a minute and {@link #PER_BOTTLE} in all. A name looked up
 * once costs nothing again. Each lookup carries guest-chosen text to the resolver, so the budget
 * bounds what a guest can send that way (decision 0014).
 */
final class LookupBudget {
    /** New names a minute. */
    static final int PER_MINUTE = 10;
    /** New names in a bottle's life. */
    static final int PER_BOTTLE = 200;
    private final Clock clock;
    private final Set<String> seen = new HashSet<>();
    private final Deque<Instant> recent = new ArrayDeque<>();

    LookupBudget(Clock clock) {
        this.clock = clock;
    }

    /** Takes a lookup of {@code name}, or says why it is not made. */
    synchronized Optional<String> take(String name) {
        if (seen.contains(name)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
            recent.removeFirst();
        }
        if (seen.size() >= PER_BOTTLE) {
            return Optional.of("the bottle has asked about " + PER_BOTTLE + " hosts already; add the ones it needs "
                    + "to the manifest");
        }
        if (recent.size() >= PER_MINUTE) {
            return Optional.of("more than " + PER_MINUTE + " new hosts a minute");
        }
        recent.addLast(now);
        seen.add(name);
        return Optional.empty();
    }
}
