package dev.claudebottle.spi.command;

import java.util.Objects;

/**
 * A positional parameter of a command: one word.
 *
 * @param label       its name in help and in {@link CommandCall#parameter}, e.g. {@code ID}
 * @param description what it is
 * @param required    whether the command needs it
 */
public record ParameterDef(String label, String description, boolean required) {
    /** Requires every part. */
    public ParameterDef {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
    }
}
