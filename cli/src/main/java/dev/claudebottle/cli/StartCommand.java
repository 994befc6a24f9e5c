package dev.claudebottle.cli;

import dev.claudebottle.kernel.plan.PlanRequest;
import dev.claudebottle.warm.Claims;
import java.util.Optional;

import dev.claudebottle.kernel.run.BottleHandle;
import dev.claudebottle.spi.BadInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle start}: the agent in a bottle, on this terminal or detached. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start a bottle for an agent and attach this terminal to the agent's command (default "
                + "'claude --dangerously-skip-permissions'), running as the agent user. The bottle is removed when "
                + "the command exits, on Ctrl-C and on SIGTERM. With --detach it keeps running; the slug is the "
                + "last line printed; use bottle exec, bottle logs and bottle stop with it. With --detach --json it "
                + "prints one JSON object instead: the slug and what the fence's probes saw."})
final class StartCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent, as named in the manifest.")
    String agent;

    @Mixin
    ManifestOptions manifest;

    @Option(names = "--detach", description = "Leave the bottle running and print its slug.")
    boolean detach;

    @Mixin
    JsonOption json;

    StartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (json.json && !detach) {
            throw new BadInputException("--json needs --detach", "an attached start hands this terminal to the agent");
        }
        PlanRequest request = manifest.request(agent, context);
        Optional<Claims.Claimed> claimed = new Claims(context.kernel(), context.env(), context.events())
                .claim(request);
        try (BottleHandle bottle = claimed.map(Claims.Claimed::bottle).orElseGet(() -> context.kernel()
                .start(request))) {
            claimed.filter(Claims.Claimed::refill).ifPresent(c -> BackgroundFill.start(context, agent, manifest));
            if (detach) {
                bottle.detach();
                if (bottle.stopsAtFirstAlert()) {
                    BackgroundStop.start(context, bottle.slug());
                }
                if (json.json) {
                    Map<String, Object> started = new LinkedHashMap<>();
                    started.put("slug", bottle.slug());
                    started.put("isolation", ProbeRows.of(bottle.probes()));
                    Json.print(context.out(), started);
                    return ExitCodes.OK;
                }
                context.out().println(bottle.slug());
                context.out().flush();
                return ExitCodes.OK;
            }
            return Terminal.attach(context, bottle);
        }
    }
}
