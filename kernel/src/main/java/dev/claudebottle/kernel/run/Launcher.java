package dev.claudebottle.kernel.run;

import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import java.time.Instant;
import java.util.List;

/**
 * Starts a planned bottle: writes its record before anything starts, runs every step with its
 * undo on the stack, and leaves the stack for the caller to unwind when the bottle stops. The
 * state dir itself is the last thing removed.
 */
public final class Launcher {
    private final EventSink events;
    private final BottleStore store = new BottleStore();

    /** A launcher reporting through {@code events}. */
    public Launcher(EventSink events) {
        this.events = events;
    }

    /** Unties a running bottle from this process: it lives until {@code bottle stop}. */
    public void detach(LaunchPlan plan) {
        store.read(plan.spec().stateDir()).ifPresent(r -> store.write(plan.spec().stateDir(), r.detached()));
    }

    /**
     * A launched bottle.
     *
     * @param guest  the running guest the backend's steps produced
     * @param probes what the fence's probes saw
     */
    public record Launched(Guest guest, List<Probes.Outcome> probes) {
    }

    /** Runs the plan; on failure everything already done is undone before the exception propagates. */
    public Launched launch(LaunchPlan plan, UndoStack undo) {
        var spec = plan.spec();
        BottleRecord record = new BottleRecord(spec.slug(), spec.agent().name(), spec.bottle().name(), plan.backend(),
                plan.manifest(), "starting", Instant.now(), spec.guestHome(), ProcessHandle.current().pid(),
                spec.agent().command());
        store.write(spec.stateDir(), record);
        undo.push("state dir " + spec.stateDir(), () -> store.delete(spec.stateDir()));
        store.lifecycle(spec.recordDir(), spec.slug(), "start", "agent " + spec.agent().name() + ", bottle "
                + spec.bottle().name() + ", backend " + plan.backend() + ", manifest " + plan.manifest(), events);
        undo.push("the record's stop line", () -> store.lifecycle(spec.recordDir(), spec.slug(), "stop",
                "removed by the command that started it", events));
        events.lifecycle("starting bottle " + spec.slug() + " on " + plan.backend());
        RunContext context = new RunContext(plan, events);
        try {
            new StepRunner().run(plan.steps(), context, undo);
        } finally {
            // a step that landed after a teardown began may have made the state dir again: it goes once more
            if (undo.closed()) {
                undo.push("state dir " + spec.stateDir(), () -> store.delete(spec.stateDir()));
            }
        }
        Guest guest = context.guest();
        List<Probes.Outcome> probes = Probes.results(plan.steps(), context);
        // the probes ran side by side: the slowest is how long they took
        String verified = probes.size() + " probes in " + probes.stream().mapToLong(o -> o.result().millis()).max()
                .orElse(0) + " ms";
        events.lifecycle("isolation verified: " + verified);
        store.lifecycle(spec.recordDir(), spec.slug(), "verify", "isolation verified: " + verified, events);
        store.write(spec.stateDir(), record.withState("running"));
        events.lifecycle("bottle " + spec.slug() + " is running");
        return new Launched(guest, probes);
    }
}
