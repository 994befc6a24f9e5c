package dev.claudebottle.spi.command;

import org.pf4j.ExtensionPoint;

/**
 * Extension point: a {@code bottle} subcommand a plugin contributes, such as {@code bottle
 * supervise}. The CLI parses its options and parameters, renders its {@code --help}, lists it in
 * {@code bottle --help} and maps what its action throws to the CLI's exit codes
 * ({@link dev.claudebottle.spi.BadInputException} 2, {@link dev.claudebottle.spi.EnvironmentException} 3,
 * any other failure 1). Like every extension it is created through Guice, so it may inject
 * {@link dev.claudebottle.spi.BottlePaths}, {@link dev.claudebottle.spi.EventSink} and
 * {@link dev.claudebottle.spi.HostEnvironment}. A command whose name a built-in command or an
 * earlier plugin already has is skipped with a warning naming both.
 */
public interface PluginCommand extends ExtensionPoint {
    /** The command, its options, parameters and subcommands. */
    CommandDef definition();
}
