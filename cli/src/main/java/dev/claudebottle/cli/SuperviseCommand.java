package dev.claudebottle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bottle supervise}: the human's side of the agents' approval requests. */
@Command(name = "supervise", mixinStandardHelpOptions = true,
        description = {"Answer the approval requests agents make through the supervise MCP server "
                + "(request_approval), in every running bottle. An agent's request blocks until you decide or its "
                + "timeout passes; a timeout is a deny."},
        subcommands = {SuperviseLsCommand.class, ApproveCommand.class, DenyCommand.class, SuperviseWatchCommand.class,
                HelpCommand.class})
final class SuperviseCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
