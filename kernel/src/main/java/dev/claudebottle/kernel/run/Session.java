package dev.claudebottle.kernel.run;

import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.manifest.AlertAction;
import java.util.List;

/**
 * One launched bottle held by this process: launched on open with a teardown hook for Ctrl-C and
 * SIGTERM, torn down on close unless detached.
 */
public final class Session implements BottleHandle {
    private final LaunchPlan plan;
    private final EventSink events;
    private final Launcher launcher;
    private final Teardown teardown;
    private final Launcher.Launched launched;
    private final AlertWatch alerts;
    private boolean keep;

    private Session(LaunchPlan plan, EventSink events) {
        this.plan = plan;
        this.events = events;
        this.launcher = new Launcher(events);
        UndoStack undo = new UndoStack(events);
        this.teardown = new Teardown(undo);
        try {
            launched = launcher.launch(plan, undo);
        } catch (RuntimeException e) {
            teardown.finish(false);
            throw e;
        } finally {
            teardown.settled();
        }
        alerts = new AlertWatch(plan.spec().slug(), plan.spec().recordDir(), stopsAtFirstAlert(), undo::unwind, events);
    }

    /** Launches the plan; everything is undone if the launch fails. */
    public static Session open(LaunchPlan plan, EventSink events) {
        return new Session(plan, events);
    }

    @Override
    public String slug() {
        return plan.spec().slug();
    }

    @Override
    public List<String> agentCommand() {
        return plan.spec().agent().command();
    }

    @Override
    public Guest guest() {
        return launched.guest();
    }

    @Override
    public List<Probes.Outcome> probes() {
        return launched.probes();
    }

    @Override
    public boolean stopsAtFirstAlert() {
        return plan.spec().bottle().egress().onAlert() == AlertAction.STOP;
    }

    @Override
    public void detach() {
        alerts.close();
        launcher.detach(plan);
        keep = true;
    }

    @Override
    public void close() {
        alerts.close();
        if (!keep) {
            events.lifecycle("removing bottle " + plan.spec().slug());
        }
        teardown.finish(keep);
    }
}
