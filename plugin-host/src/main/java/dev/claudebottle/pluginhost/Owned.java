package dev.claudebottle.pluginhost;

import java.util.Objects;
import java.util.function.Function;

/**
 * Something a plugin provides — an extension, a contributed value, a launch step — and the
 * plugin it came from, for choosing, ordering and telling the user whose it is.
 *
 * @param pluginId the providing plugin's id ({@code kernel} for built-ins)
 * @param value    what it provides
 * @param <T>      its type
 */
public record Owned<T>(String pluginId, T value) {
    /** Requires both parts. */
    public Owned {
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(value, "value");
    }

    /** {@code 'name' (plugin)}, for messages, with {@code name} naming the value ({@code Step::id}, say). */
    public String label(Function<? super T, String> name) {
        return "'" + name.apply(value) + "' (" + pluginId + ")";
    }
}
