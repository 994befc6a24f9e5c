package dev.claudebottle.kernel.plan;

import dev.claudebottle.spi.Step;
import java.util.Objects;

/**
 * A step and the plugin that contributed it.
 *
 * @param plugin the plugin id ({@code kernel} for built-ins)
 * @param step   the step
 */
public record PlannedStep(String plugin, Step step) {
    /** Requires both parts. */
    public PlannedStep {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(step, "step");
    }

    /** {@code id (plugin)} for messages. */
    public String label() {
        return "'" + step.id() + "' (" + plugin + ")";
    }
}
