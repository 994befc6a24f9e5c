package dev.claudebottle.kernel.run;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.spi.Undo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * Runs ordered steps, pushing each undo on the stack. On a failure or an interrupt it unwinds
 * the stack in reverse and throws with the failing step named; on success the undos stay on the
 * stack for the caller to unwind at exit. The probes ({@link Phase#VERIFY}, last) only look, so
 * they run side by side; the first one in order that failed is the one reported.
 */
public final class StepRunner {

    /** Runs every step in order. */
    public void run(List<Owned<Step>> steps, StepContext context, UndoStack undo) {
        int total = steps.size();
        List<Owned<Step>> probing = new ArrayList<>();
        List<FutureTask<Undo>> probes = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Owned<Step> planned = steps.get(i);
            if (Thread.currentThread().isInterrupted() || undo.closed()) {
                undo.unwind();
                throw new BottleException("launch interrupted before step " + planned.label(Step::id),
                        "nothing was left running");
            }
            context.events().emit(new Event.Progress(planned.value().summary(), i, total));
            if (planned.value().phase() == Phase.VERIFY) {
                FutureTask<Undo> probe = new FutureTask<>(() -> planned.value().action().run(context));
                Thread thread = new Thread(probe, "probe " + planned.value().id());
                thread.setDaemon(true);
                thread.start();
                probing.add(planned);
                probes.add(probe);
                continue;
            }
            long start = System.nanoTime();
            done(planned, () -> planned.value().action().run(context), undo);
            context.events().debug("done: " + planned.label(Step::id) + " in " + (System.nanoTime() - start) / 1_000_000
                    + " ms");
        }
        // every probe ends before one that missed unwinds the bottle: none is left at work beside the undos
        probes.forEach(p -> { try { p.get(); } catch (Exception told) { /* in turn, below */ } });
        for (int k = 0; k < probes.size(); k++) {
            FutureTask<Undo> probe = probes.get(k);
            done(probing.get(k), () -> {
                try {
                    return probe.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }, undo);
        }
    }

    /** The work of one step. */
    private interface Work {
        Undo run() throws Exception;
    }

    /** Runs a step's work and pushes its undo; on a failure unwinds the stack and throws, naming the step. */
    private static void done(Owned<Step> planned, Work work, UndoStack undo) {
        Undo reverse;
        try {
            reverse = work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undo.unwind();
            throw new BottleException("launch interrupted during step " + planned.label(Step::id),
                    "nothing was left running", e);
        } catch (Exception e) {
            undo.unwind();
            String hint = e instanceof BottleException b ? b.hint().orElse(null) : null;
            String message = "step " + planned.label(Step::id) + " failed: " + e.getMessage();
            hint = hint != null ? hint : "run with --debug for details; nothing was left running";
            // a missing prerequisite stays one, so the CLI's exit code still says what kind of failure it was
            if (e instanceof EnvironmentException) {
                throw new EnvironmentException(message, hint, e);
            }
            throw new BottleException(message, hint, e);
        }
        undo.push(planned.label(Step::id), reverse == null ? Undo.NONE : reverse);
    }
}
