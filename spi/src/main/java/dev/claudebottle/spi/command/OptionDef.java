package dev.claudebottle.spi.command;

import java.util.Objects;
import java.util.Optional;

/**
 * An option of a command: a flag, or an option that takes one value.
 *
 * @param name        with its dashes, e.g. {@code --reason}
 * @param valueLabel  the value's name in help, e.g. {@code R}; empty for a flag
 * @param description what it does
 */
public record OptionDef(String name, Optional<String> valueLabel, String description) {
    /** The shared {@code --json} flag: machine-readable output on standard output. */
    public static final OptionDef JSON = flag("--json", "Print machine-readable JSON on standard output.");

    /** Checks the name. */
    public OptionDef {
        Objects.requireNonNull(name, "name");
        if (!name.matches("--[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name '" + name + "' is not --lower-case");
        }
        Objects.requireNonNull(valueLabel, "valueLabel");
        Objects.requireNonNull(description, "description");
    }

    /** An option without a value. */
    public static OptionDef flag(String name, String description) {
        return new OptionDef(name, Optional.empty(), description);
    }

    /** An option with one value. */
    public static OptionDef value(String name, String valueLabel, String description) {
        return new OptionDef(name, Optional.of(valueLabel), description);
    }

    /** Whether it is a flag. */
    public boolean isFlag() {
        return valueLabel.isEmpty();
    }
}
