package dev.claudebottle.cli;

import dev.claudebottle.kernel.Bottles;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.command.InertText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle stop}: remove bottles and everything they had. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop bottles: remove their guest, bundle and network and their state (CA key, "
                + "queue). Their record stays under records/ in the state home (bottle records ls). With "
                + "--at-first-alert SLUG it waits for that bottle's first alert and stops it then; bottle start "
                + "--detach runs this in the background for a bottle whose manifest says egress.on_alert: stop."})
final class StopCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "SLUG", arity = "0..*", description = "The bottles to stop.")
    List<String> slugs = new ArrayList<>();

    @Option(names = "--all", description = "Stop every bottle.")
    boolean all;

    @Option(names = "--at-first-alert", description = "Wait for the bottle's first alert, then stop it; return "
            + "without stopping it if it is stopped first.")
    boolean atFirstAlert;

    StopCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Bottles bottles = context.kernel().bottles();
        if (atFirstAlert) {
            if (all || slugs.size() != 1) {
                throw new BadInputException("--at-first-alert watches one bottle", "name one bottle, without --all");
            }
            bottles.stopAtFirstAlert(slugs.get(0)).ifPresent(alert -> context.out().println("stopped "
                    + slugs.get(0) + " at its first alert: " + InertText.of(alert.rule())));
            context.out().flush();
            return ExitCodes.OK;
        }
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
