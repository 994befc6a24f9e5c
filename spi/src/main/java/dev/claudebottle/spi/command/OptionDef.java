package dev.claudebottle.spi.command;

import java.util.Objects;
import java.util.Optional;

/**
 * An option of a command: a flag, or an option that takes one value.
 *
 * @param name        with its dashes, e.g. {@code --reason}
 * @param valueLabel  the value's name in help, e.g. {@code R}; empty for a flag
 * @param description what it does
 * @param shortName   a one-letter alias, e.g. {@code -f}, if any
 */
public record OptionDef(String name, Optional<String> valueLabel, String description, Optional<String> shortName) {
    /** The shared {@code --json} flag: machine-readable output on standard output. */
    public static final OptionDef JSON = flag("--json", "Print machine-readable JSON on standard output.");
    /** The shared {@code -f, --file FILE} option: the manifest, as every built-in command takes it. */
    public static final OptionDef FILE = value("--file", "FILE", "The manifest (default: ./bottle.yaml, then "
            + "$CLAUDE_BOTTLE_HOME/bottle.yaml, then the embedded default).").withShortName("-f");

    /** Checks the name. */
    public OptionDef {
        Objects.requireNonNull(name, "name");
        if (!name.matches("--[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name '" + name + "' is not --lower-case");
        }
        Objects.requireNonNull(valueLabel, "valueLabel");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(shortName, "shortName");
        if (shortName.isPresent() && !shortName.get().matches("-[a-zA-Z]")) {
            throw new IllegalArgumentException("short option name '" + shortName.get() + "' is not a dash and a letter");
        }
    }

    /** The same option with a one-letter alias. */
    public OptionDef withShortName(String alias) {
        return new OptionDef(name, valueLabel, description, Optional.of(alias));
    }

    /** An option without a value. */
    public static OptionDef flag(String name, String description) {
        return new OptionDef(name, Optional.empty(), description, Optional.empty());
    }

    /** An option with one value. */
    public static OptionDef value(String name, String valueLabel, String description) {
        return new OptionDef(name, Optional.of(valueLabel), description, Optional.empty());
    }

    /** Whether it is a flag. */
    public boolean isFlag() {
        return valueLabel.isEmpty();
    }
}
