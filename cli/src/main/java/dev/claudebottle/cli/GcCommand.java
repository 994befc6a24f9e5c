package dev.claudebottle.cli;

import dev.claudebottle.spi.command.InertText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bottle gc}: remove what killed CLIs left behind. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Remove every labelled container and network, and every state dir, of a bottle of this "
                + "state home (CLAUDE_BOTTLE_HOME) that no longer has an owner: its CLI was killed, or its state "
                + "is gone. Detached bottles are kept; warm bottles whose manifest is gone or reads differently now are removed, and a claim of one whose CLI was killed is settled. Bottles another home launched are listed and left alone. "
                + "Then prunes the records the retention no longer keeps (see bottle records)."})
final class GcCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JsonOption json;

    @Option(names = "--every-home", description = "Also remove the bottles of other state homes, running or not.")
    boolean everyHome;

    GcCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // a retention that does not read is bad input before anything is removed
        var retention = dev.claudebottle.records.Retention.from(context.env());
        var collected = context.kernel().bottles().gc(everyHome);
        var warm = WarmCommand.pool(context).collect();
        var pruned = RecordsCommand.records(context).prune(retention);
        if (json.json) {
            Json.print(context.out(), java.util.Map.of("removed", collected.removed(), "warm_removed", warm,
                    "left_alone", collected.leftAlone(), "records_pruned", pruned));
        } else {
            pruned.forEach(slug -> context.out().println("pruned the record of " + slug));
            collected.removed().forEach(slug -> context.out().println("removed " + slug));
            warm.forEach(slug -> context.out().println("removed warm bottle " + slug));
            collected.leftAlone().forEach((slug, home) -> context.out().println("left alone " + slug
                    + " (launched by the state home " + InertText.of(home) + ")"));
            if (collected.removed().isEmpty() && warm.isEmpty()) {
                context.out().println("nothing to remove");
            }
            if (!collected.leftAlone().isEmpty()) {
                context.out().println("hint: run gc with that CLAUDE_BOTTLE_HOME, or with --every-home to remove them too");
            }
            context.out().flush();
        }
        return ExitCodes.OK;
    }
}
