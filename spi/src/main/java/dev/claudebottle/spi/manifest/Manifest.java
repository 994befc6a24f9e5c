package dev.claudebottle.spi.manifest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded and validated manifest (bottle.yaml, version 1).
 *
 * @param source  the file name used in messages
 * @param baseDir the folder relative paths were resolved against
 * @param bottles bottles by name, in file order
 * @param agents  agents by name, in file order
 */
public record Manifest(String source, Path baseDir, Map<String, BottleDef> bottles, Map<String, AgentDef> agents) {
    /** The same manifest with {@code bottle} in place of the bottle of its name. */
    public Manifest withBottle(BottleDef bottle) {
        Map<String, BottleDef> changed = new java.util.LinkedHashMap<>(bottles);
        changed.put(bottle.name(), bottle);
        return new Manifest(source, baseDir, changed, agents);
    }

    /** Copies the maps, keeping their order. */
    public Manifest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(baseDir, "baseDir");
        bottles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bottles));
        agents = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(agents));
    }
}
