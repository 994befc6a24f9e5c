package dev.claudebottle.kernel.plan;

import java.util.Objects;

/**
 * A contributed value and the plugin it came from, for {@code bottle plan}.
 *
 * @param plugin the contributing plugin's id
 * @param value  the value
 * @param <T>    the value's type
 */
public record Attributed<T>(String plugin, T value) {
    /** Requires both parts. */
    public Attributed {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(value, "value");
    }
}
