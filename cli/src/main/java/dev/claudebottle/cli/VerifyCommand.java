package dev.claudebottle.cli;

import dev.claudebottle.kernel.run.Probes;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.command.InertText;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bottle verify}: the probes of a launch, run again against a running bottle. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Prove a running bottle's fence again from inside its guest: the probes every launch runs "
                + "before the agent's command (no route out, no DNS, the guest's network, routes and firewall as "
                + "launched, the gateway's refusals, the bottle's CA trusted, no real credential in the guest), "
                + "each as root out of the agent's reach. Exits 0 when every probe held, 3 when one did not: a "
                + "probe that was stopped, hung or could not say what it saw did not hold."})
final class VerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SLUG", description = "The bottle, as bottle ls shows it.")
    String slug;

    @Mixin
    JsonOption json;

    VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Probes.Outcome> outcomes = context.kernel().verify(slug);
        boolean held = outcomes.stream().allMatch(o -> o.result().held());
        PrintWriter out = context.out();
        if (json.json) {
            Json.print(out, ProbeRows.of(outcomes));
        } else {
            for (Probes.Outcome o : outcomes) {
                out.printf("%-6s %-28s %s%n", o.result().held() ? "held" : "MISSED", o.probe().label(Step::id),
                        InertText.of(o.result().saw()));
            }
            out.println(held ? "isolation verified: " + outcomes.size() + " probes in "
                    + outcomes.stream().mapToLong(o -> o.result().millis()).sum() + " ms"
                    : "isolation NOT verified: " + outcomes.stream().filter(o -> !o.result().held()).count() + " of "
                    + outcomes.size() + " probes missed");
            out.flush();
        }
        return held ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
    }
}
