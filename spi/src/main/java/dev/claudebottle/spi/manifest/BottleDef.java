package dev.claudebottle.spi.manifest;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bottle: the guest's env, its egress policy, its git mirrors, and the sections plugins read.
 *
 * @param name     the bottle's name in the manifest
 * @param env      plain guest env values
 * @param egress   the egress policy
 * @param git      git upstreams the gate mirrors
 * @param sections what each {@link ManifestSection} read, by key, for the sections the bottle has
 * @param location where the bottle stands in the manifest
 */
public record BottleDef(String name, Map<String, String> env, EgressDef egress, List<GitRepoDef> git,
                        Map<String, Object> sections, Location location) {
    /** Copies the collections. */
    public BottleDef {
        Objects.requireNonNull(name, "name");
        env = Map.copyOf(env);
        Objects.requireNonNull(egress, "egress");
        git = List.copyOf(git);
        sections = Map.copyOf(sections);
        Objects.requireNonNull(location, "location");
    }

    /** What the plugin section {@code key} read, when the bottle has it. */
    public <T> Optional<T> section(String key, Class<T> type) {
        return Optional.ofNullable(sections.get(key)).filter(type::isInstance).map(type::cast);
    }
}
