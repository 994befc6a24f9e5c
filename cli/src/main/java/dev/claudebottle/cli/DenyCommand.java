package dev.claudebottle.cli;

import picocli.CommandLine.Command;

/** {@code bottle supervise deny}: refuse, with a reason the agent sees. */
@Command(name = "deny", mixinStandardHelpOptions = true,
        description = {"Deny a pending request; the agent's request_approval call returns denied with the reason."})
final class DenyCommand extends DecideCommand {
    DenyCommand(CliContext context) {
        super(context, false);
    }
}
