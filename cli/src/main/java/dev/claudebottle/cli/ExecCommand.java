package dev.claudebottle.cli;

import dev.claudebottle.spi.Guest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bottle exec}: a command in a running bottle, as the agent user; exits with its code. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command in a running bottle as the agent user and exit with its exit code. On a "
                + "terminal the command gets one; otherwise standard input is passed to it until its end and its output "
                + "is streamed."})
final class ExecCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SLUG", description = "The bottle, as bottle ls names it.")
    String slug;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command (after --).")
    List<String> command;

    ExecCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        WarmCommand.pool(context).leave(slug);
        Guest guest = context.kernel().bottles().guest(slug);
        if (System.console() != null) {
            try (Terminal terminal = Terminal.raw()) {
                return guest.execInteractive(Guest.AGENT_USER, command, context.terminalIn(), context.terminalOut(),
                        terminal.columns, terminal.rows);
            }
        }
        return StreamedCommand.run(context, guest, command);
    }
}
