package dev.claudebottle.cli;

import picocli.CommandLine.Command;

/** {@code bottle supervise approve}: let the agent go ahead. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve a pending request; the agent's request_approval call returns approved."})
final class ApproveCommand extends DecideCommand {
    ApproveCommand(CliContext context) {
        super(context, true);
    }
}
