/**
 * For plugin authors who add a {@code bottle} subcommand ({@link dev.claudebottle.spi.command.PluginCommand}):
 * its options and parameters described without a CLI library, the call it runs with, and
 * {@link dev.claudebottle.spi.command.InertText} for guest text it prints.
 */
package dev.claudebottle.spi.command;
