package dev.claudebottle.kernel.run;

import dev.claudebottle.spi.Guest;
import java.util.List;

/**
 * A bottle this command holds: its guest and the agent's command. Closing it removes a bottle
 * this command started, unless it was detached; a bottle resumed from another command is left
 * running.
 */
public interface BottleHandle extends AutoCloseable {
    /** The bottle's name. */
    String slug();

    /** The running guest. */
    Guest guest();

    /** What the fence's probes saw before the agent was handed the bottle. */
    List<Probes.Outcome> probes();

    /** The agent's command, as the manifest gives it. */
    List<String> agentCommand();

    /** Whether the bottle is to be stopped at its first alert ({@code egress.on_alert: stop}). */
    boolean stopsAtFirstAlert();

    /** Leaves the bottle running after close; it lives until {@code bottle stop}. */
    void detach();

    @Override
    void close();
}
