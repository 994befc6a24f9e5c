package dev.claudebottle.cli;

import dev.claudebottle.kernel.plan.LaunchPlan;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bottle plan}: the ordered launch, without running anything. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what 'bottle start' would do for an agent, in order, without touching anything: "
                + "bundle daemons, ports, the hosts the gateway allows and what unknown hosts get, what the guest "
                + "may take of the host (memory, processes, CPU), credential routes, bundle and guest env (secret "
                + "values as ***), mounts and every launch step with its plugin and phase; on a backend that creates "
                + "objects of its own (kubernetes), those objects too, as YAML, with every secret value elided."})
final class PlanCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent to plan, as named in the manifest.")
    String agent;

    @Mixin
    ManifestOptions manifest;

    @Mixin
    JsonOption json;

    PlanCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        LaunchPlan plan = context.kernel().plan(manifest.request(agent, context));
        PlanView view = new PlanView(plan, context.kernel().backend(java.util.Optional.ofNullable(manifest.backend))
                .value().describe(plan.request()));
        if (json.json) {
            Json.print(context.out(), view.json());
        } else {
            view.text(context.out());
        }
        return ExitCodes.OK;
    }
}
