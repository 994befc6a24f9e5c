package dev.claudebottle.kernel.plugin;

import java.util.Objects;

/**
 * An extension and the plugin that provides it.
 *
 * @param pluginId  the providing plugin's id ({@code kernel} for built-ins)
 * @param extension the extension instance
 * @param <T>       the extension point
 */
public record Owned<T>(String pluginId, T extension) {
    /** Requires both parts. */
    public Owned {
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(extension, "extension");
    }
}
