package dev.claudebottle.provision.supervise;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code supervise} section: the agent may ask a human for approval.
 *
 * @param timeout how long a request waits before it counts as denied
 */
public record SuperviseDef(Duration timeout) {
    /** The default wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** Requires a positive timeout. */
    public SuperviseDef {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }
}
