package dev.claudebottle.cli;

import dev.claudebottle.kernel.plan.PlanRequest;
import dev.claudebottle.warm.Claims;
import java.util.Optional;

import dev.claudebottle.kernel.run.BottleHandle;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bottle run}: one command in a fresh bottle, torn down afterwards; exits with the command's code. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a bottle for an agent, run one command in it as the agent user, print its output and "
                + "tear everything down. Standard input is passed to the command until its end. Exits with the "
                + "command's exit code. Builds missing images first.",
                "Example: bottle run claude -- claude --version"})
final class RunCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent, as named in the manifest.")
    String agent;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command to run (after --).")
    List<String> command;

    @Mixin
    ManifestOptions manifest;

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PlanRequest request = manifest.request(agent, context);
        Optional<Claims.Claimed> claimed = new Claims(context.kernel(), context.env(), context.events())
                .claim(request);
        try (BottleHandle bottle = claimed.map(Claims.Claimed::bottle).orElseGet(() -> context.kernel()
                .start(request))) {
            return StreamedCommand.run(context, bottle.guest(), command);
        } finally {
            // after the command: the pool fills again once what it claimed has had the machine
            claimed.filter(Claims.Claimed::refill).ifPresent(c -> BackgroundFill.start(context, agent, manifest));
        }
    }
}
