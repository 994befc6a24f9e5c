package dev.claudebottle.cli;

import dev.claudebottle.kernel.supervise.ApprovalBoard.Request;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code supervise approve} and {@code supervise deny} share: decide one request by id. */
abstract class DecideCommand implements Callable<Integer> {
    private final CliContext context;
    private final boolean approve;

    @Parameters(index = "0", paramLabel = "ID", description = "The request, as bottle supervise ls shows it.")
    String id;

    @Option(names = "--reason", paramLabel = "R", description = "Why; the agent sees it.")
    String reason = "";

    DecideCommand(CliContext context, boolean approve) {
        this.context = context;
        this.approve = approve;
    }

    @Override
    public Integer call() {
        Request r = context.kernel().approvals().decide(id, approve, reason);
        context.out().println(r.state() + " " + InertText.of(r.id()) + " (" + InertText.of(r.slug()) + "): "
                + InertText.of(r.title()));
        context.out().flush();
        return ExitCodes.OK;
    }
}
