package dev.claudebottle.spi.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it forward: time passes without waiting it out. */
public final class SteppedClock extends Clock {
    private volatile Instant now;

    /** A clock standing at {@code start}. */
    public SteppedClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at the start of 2026. */
    public SteppedClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Moves the clock forward. */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
