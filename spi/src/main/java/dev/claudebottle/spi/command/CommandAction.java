package dev.claudebottle.spi.command;

/** What a command does once its arguments are parsed. */
@FunctionalInterface
public interface CommandAction {
    /**
     * Runs the command.
     *
     * @return the exit code: 0 for success; failures are better thrown, so the CLI names them
     */
    int run(CommandCall call) throws Exception;
}
