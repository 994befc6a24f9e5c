package dev.claudebottle.spi.manifest;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bottle: the guest's env, its egress policy, what it may take of the host, and the sections
 * plugins read (git mirrors, supervision, ...).
 *
 * @param name     the bottle's name in the manifest
 * @param env      plain guest env values
 * @param egress   the egress policy
 * @param limits   the guest's memory, processes and CPU ({@code limits}, else {@link GuestLimits#DEFAULT})
 * @param sections what each {@link ManifestSection} read, by key, for the sections the bottle has
 * @param location where the bottle stands in the manifest
 */
public record BottleDef(String name, Map<String, String> env, EgressDef egress, GuestLimits limits,
                        Map<String, Object> sections, Location location) {
    /** Copies the collections. */
    public BottleDef {
        Objects.requireNonNull(name, "name");
        env = Map.copyOf(env);
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(limits, "limits");
        sections = Map.copyOf(sections);
        Objects.requireNonNull(location, "location");
    }

    /** A bottle with the default {@link GuestLimits}. */
    public BottleDef(String name, Map<String, String> env, EgressDef egress, Map<String, Object> sections,
                     Location location) {
        this(name, env, egress, GuestLimits.DEFAULT, sections, location);
    }

    /** The same bottle with another egress. */
    public BottleDef withEgress(EgressDef other) {
        return new BottleDef(name, env, other, limits, sections, location);
    }

    /** What the plugin section {@code key} read, when the bottle has it. */
    public <T> Optional<T> section(String key, Class<T> type) {
        return Optional.ofNullable(sections.get(key)).filter(type::isInstance).map(type::cast);
    }
}
