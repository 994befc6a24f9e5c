package dev.claudebottle.cli;

import dev.claudebottle.kernel.run.BottleHandle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bottle resume}: this terminal back on a running bottle's agent. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Attach this terminal to the agent command of a running bottle again, e.g. one started "
                + "with --detach. Leaving it leaves the bottle running; bottle stop removes it."})
final class ResumeCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SLUG", description = "The bottle, as bottle ls names it.")
    String slug;

    ResumeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        WarmCommand.pool(context).leave(slug);
        try (BottleHandle bottle = context.kernel().resume(slug)) {
            return Terminal.attach(context, bottle);
        }
    }
}
