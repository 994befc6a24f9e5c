package dev.claudebottle.kernel.run;

import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The probes of a plan ({@link Phase#VERIFY} steps): what they saw at launch, and a run of them on a running bottle. */
public final class Probes {
    private Probes() {
    }

    /**
     * One probe's outcome.
     *
     * @param probe  the probe's step, with its plugin
     * @param result whether the fence held and what was seen
     */
    public record Outcome(Owned<Step> probe, Probe.Result result) {
    }

    /** What the probes of a finished launch saw. */
    static List<Outcome> results(List<Owned<Step>> steps, StepContext context) {
        return steps.stream().filter(s -> s.value().phase() == Phase.VERIFY)
                .map(s -> new Outcome(s, context.result(Probe.key(s.value().id())))).toList();
    }

    /** Runs every probe of {@code plan} against {@code guest}, each whatever the others saw ({@code bottle verify}). */
    public static List<Outcome> verify(LaunchPlan plan, Guest guest, EventSink events) {
        RunContext context = new RunContext(plan, events);
        context.produce(Backend.GUEST, guest);
        // side by side, as a launch runs them: the slowest is how long they take
        List<CompletableFuture<Outcome>> running = plan.steps().stream().filter(p -> p.value().phase() == Phase.VERIFY)
                .map(s -> CompletableFuture.supplyAsync(() -> {
                    try {
                        s.value().action().run(context);
                    } catch (Exception e) {
                        if (!context.produced(Probe.key(s.value().id()))) {
                            return new Outcome(s, Probe.Result.missed("the probe could not run: " + e.getMessage()));
                        }
                    }
                    return new Outcome(s, context.result(Probe.key(s.value().id())));
                }, work -> new Thread(work, "probe " + s.value().id()).start())).toList();
        return running.stream().map(CompletableFuture::join).toList();
    }
}
