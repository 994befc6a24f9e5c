package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.HostEnvironment;
import java.util.Map;

/**
 * The shared bridge network the bundle reaches upstreams on: {@code CLAUDE_BOTTLE_EGRESS_NETWORK},
 * default {@code claude-bottle-egress}, created on demand.
 */
public final class EgressNetwork {
    /** The variable that names it. */
    public static final String ENV = "CLAUDE_BOTTLE_EGRESS_NETWORK";

    private EgressNetwork() {
    }

    /** Its name in this host env. */
    public static String name(HostEnvironment env) {
        return env.get(ENV).filter(s -> !s.isBlank()).orElse("claude-bottle-egress");
    }

    /** Creates it when missing; returns its name. */
    public static String ensure(DockerEngine engine, HostEnvironment env) {
        String name = name(env);
        if (!engine.networkExists(name)) {
            engine.createNetwork(name, false, Map.of(Labels.ROLE, "egress"));
        }
        return name;
    }
}
