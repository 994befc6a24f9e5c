package dev.claudebottle.spi.command;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command as the CLI shows and parses it: a leaf runs its action; a group (no action) lists its
 * subcommands when called alone.
 *
 * @param name        the word that selects it, lower-case
 * @param description what it does, one or more sentences; the first line of its help
 * @param options     its options, in help order
 * @param parameters  its positional parameters, in order
 * @param subcommands its subcommands, in help order
 * @param action      what runs when it is selected; empty for a group
 */
public record CommandDef(String name, String description, List<OptionDef> options, List<ParameterDef> parameters,
                         List<CommandDef> subcommands, Optional<CommandAction> action) {
    /** Checks the name and copies every list. */
    public CommandDef {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("command name '" + name + "' is not a lower-case word");
        }
        Objects.requireNonNull(description, "description");
        options = List.copyOf(options);
        parameters = List.copyOf(parameters);
        subcommands = List.copyOf(subcommands);
        Objects.requireNonNull(action, "action");
        if (action.isPresent() && !subcommands.isEmpty()) {
            throw new IllegalArgumentException("command '" + name + "' has both an action and subcommands");
        }
    }

    /** A command that runs {@code action}. */
    public static CommandDef leaf(String name, String description, List<OptionDef> options,
                                  List<ParameterDef> parameters, CommandAction action) {
        return new CommandDef(name, description, options, parameters, List.of(), Optional.of(action));
    }

    /** A command that only groups {@code subcommands}. */
    public static CommandDef group(String name, String description, List<CommandDef> subcommands) {
        return new CommandDef(name, description, List.of(), List.of(), subcommands, Optional.empty());
    }
}
