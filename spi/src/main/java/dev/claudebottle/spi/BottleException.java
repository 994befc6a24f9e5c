package dev.claudebottle.spi;

import java.util.Optional;

/**
 * A failure with context, shown to the user as one sentence plus an optional hint. The CLI
 * maps subtypes to exit codes: {@link BadInputException} 2, {@link EnvironmentException} 3,
 * anything else 1. Messages must never contain secret values.
 */
public class BottleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    /** A failure with a message and no hint. */
    public BottleException(String message) {
        this(message, null, null);
    }

    /** A failure with a message and a hint on what to do. */
    public BottleException(String message, String hint) {
        this(message, hint, null);
    }

    /** A failure with a message, a hint and a cause. */
    public BottleException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user can do about it, if anything is known. */
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }
}
