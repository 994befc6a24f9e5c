package dev.claudebottle.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bottle gc}: remove what killed CLIs left behind. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Remove every labelled container and network, and every state dir, of a bottle that no "
                + "longer has an owner: its CLI was killed, or its record is gone. Detached bottles are kept."})
final class GcCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JsonOption json;

    GcCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> removed = context.kernel().bottles().gc();
        if (json.json) {
            Json.print(context.out(), removed);
        } else {
            removed.forEach(slug -> context.out().println("removed " + slug));
            if (removed.isEmpty()) {
                context.out().println("nothing to remove");
            }
            context.out().flush();
        }
        return ExitCodes.OK;
    }
}
