package dev.claudebottle.pluginhost;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin that could not be loaded and was skipped.
 *
 * @param path   where it was found
 * @param id     its id, when the descriptor could be read
 * @param reason why it failed, in one line
 * @param source bundled or dropped-in
 */
public record PluginFailure(Path path, Optional<String> id, String reason, PluginSource source) {
    /** Requires every part. */
    public PluginFailure {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
    }

    /** {@code plugin 'id' at path} or {@code plugin at path}. */
    public String label() {
        return id.map(i -> "plugin '" + i + "' at " + path).orElse("plugin at " + path);
    }
}
