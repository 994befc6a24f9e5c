package dev.claudebottle.kernel.plan;

import dev.claudebottle.spi.BottleException;

/** The contributions do not form a valid launch: duplicate or unknown step ids, a cycle. Exit code 1. */
public final class PlanException extends BottleException {
    private static final long serialVersionUID = 1L;

    /** A plan problem with a hint. */
    public PlanException(String message, String hint) {
        super(message, hint);
    }
}
