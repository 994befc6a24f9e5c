package dev.claudebottle.kernel.run;

import dev.claudebottle.spi.Guest;
import java.util.List;

/**
 * A running bottle another command started, held to attach to its agent again: closing it leaves
 * the bottle running, and there is nothing to detach.
 *
 * @param slug         the bottle
 * @param guest        its running guest
 * @param agentCommand the agent's command it recorded
 * @param probes       what the fence's probes saw before resuming
 */
public record ResumedBottle(String slug, Guest guest, List<String> agentCommand, List<Probes.Outcome> probes)
        implements BottleHandle {
    /** Copies the lists. */
    public ResumedBottle {
        agentCommand = List.copyOf(agentCommand);
        probes = List.copyOf(probes);
    }

    /** The command that started the bottle left what watches it for alerts. */
    @Override
    public boolean stopsAtFirstAlert() {
        return false;
    }

    @Override
    public void detach() {
    }

    @Override
    public void close() {
    }
}
