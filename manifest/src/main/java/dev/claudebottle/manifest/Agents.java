package dev.claudebottle.manifest;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.Manifest;

/** Finds the agent a command names in a manifest. */
public final class Agents {
    private Agents() {
    }

    /** The agent called {@code name}; an unknown name is bad input listing the agents the manifest has. */
    public static AgentDef find(Manifest manifest, String name) {
        AgentDef agent = manifest.agents().get(name);
        if (agent == null) {
            throw new BadInputException("unknown agent '" + name + "' in " + manifest.source(),
                    "agents defined there: " + String.join(", ", manifest.agents().keySet()));
        }
        return agent;
    }
}
