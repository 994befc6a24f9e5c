package dev.claudebottle.spi.manifest;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bottle: the guest's env, its egress policy, its git mirrors and supervision.
 *
 * @param name      the bottle's name in the manifest
 * @param env       plain guest env values
 * @param egress    the egress policy
 * @param git       git upstreams the gate mirrors
 * @param supervise supervision, when enabled
 * @param location  where the bottle stands in the manifest
 */
public record BottleDef(String name, Map<String, String> env, EgressDef egress, List<GitRepoDef> git,
                        Optional<SuperviseDef> supervise, Location location) {
    /** Copies the collections. */
    public BottleDef {
        Objects.requireNonNull(name, "name");
        env = Map.copyOf(env);
        Objects.requireNonNull(egress, "egress");
        git = List.copyOf(git);
        Objects.requireNonNull(supervise, "supervise");
        Objects.requireNonNull(location, "location");
    }
}
