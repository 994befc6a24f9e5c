package dev.claudebottle.spi.manifest;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bottle: the guest's env, its egress policy, and the sections plugins read (git mirrors,
 * supervision, ...).
 *
 * @param name     the bottle's name in the manifest
 * @param env      plain guest env values
 * @param egress   the egress policy
 * @param sections what each {@link ManifestSection} read, by key, for the sections the bottle has
 * @param location where the bottle stands in the manifest
 */
public record BottleDef(String name, Map<String, String> env, EgressDef egress, Map<String, Object> sections,
                        Location location) {
    /** Copies the collections. */
    public BottleDef {
        Objects.requireNonNull(name, "name");
        env = Map.copyOf(env);
        Objects.requireNonNull(egress, "egress");
        sections = Map.copyOf(sections);
        Objects.requireNonNull(location, "location");
    }

    /** The same bottle with another egress. */
    public BottleDef withEgress(EgressDef other) {
        return new BottleDef(name, env, other, sections, location);
    }

    /** What the plugin section {@code key} read, when the bottle has it. */
    public <T> Optional<T> section(String key, Class<T> type) {
        return Optional.ofNullable(sections.get(key)).filter(type::isInstance).map(type::cast);
    }
}
