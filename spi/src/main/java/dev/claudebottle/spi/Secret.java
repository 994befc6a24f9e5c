package dev.claudebottle.spi;

import java.util.Objects;

/**
 * A credential value that must never be printed. {@link #toString()} is always {@code ***};
 * only {@link #reveal()} gives the value, and only code that hands it to the bundle's process
 * env or compares it on the wire should call it.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a value; the value is never part of any message this type produces. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The real value. Callers must not log it or put it on an argv. */
    public String reveal() {
        return value;
    }

    /** Whether the value is empty. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "***";
    }
}
