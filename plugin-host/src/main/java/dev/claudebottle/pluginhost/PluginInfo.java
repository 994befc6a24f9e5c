package dev.claudebottle.pluginhost;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loaded plugin as {@code bottle plugins} shows it.
 *
 * @param id          the PF4J plugin id
 * @param version     its version
 * @param description its description, possibly empty
 * @param kinds       what it extends: {@code backend}, {@code provisioner}, {@code manifest-section}, {@code command}
 * @param source      bundled or dropped-in
 * @param path        where it was loaded from
 */
public record PluginInfo(String id, String version, String description, List<String> kinds, PluginSource source,
                         Path path) {
    /** Copies the list. */
    public PluginInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        kinds = List.copyOf(kinds);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
    }
}
