package dev.claudebottle.cli;

import dev.claudebottle.kernel.Bottles;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.spi.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle stop}: remove bottles and everything they had. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop bottles: remove their guest, bundle and network and their state (CA key, audit "
                + "log, queue)."})
final class StopCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "SLUG", arity = "0..*", description = "The bottles to stop.")
    List<String> slugs = new ArrayList<>();

    @Option(names = "--all", description = "Stop every bottle.")
    boolean all;

    StopCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Bottles bottles = context.kernel().bottles();
        List<String> targets = new ArrayList<>(slugs);
        if (all) {
            bottles.list().stream().map(BottleRecord::slug).forEach(targets::add);
        } else if (targets.isEmpty()) {
            throw new BadInputException("name the bottles to stop, or pass --all", "bottle ls lists them");
        }
        for (String slug : targets) {
            bottles.stop(slug);
            context.out().println("stopped " + slug);
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
