package dev.claudebottle.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A check that part of the fence holds, run from inside the guest once it is provisioned and
 * before the agent's command ({@link Phase#VERIFY}), and again by {@code bottle verify} on a
 * running bottle. A probe only looks: it changes nothing in the guest and never sends a real
 * credential into it. It finds what it needs (addresses, names) from the running bottle and the
 * guest's own env, so it works on a bottle started by another command.
 *
 * <p>The guest is the agent's, and the agent may fight a probe: a probe runs its commands out of
 * the agent's reach ({@link ProbeCommand}) and holds only on what it affirmatively saw. A check
 * that throws, or that has no result by its deadline, is a miss: a probe that was stopped, hung
 * or garbled proves nothing.
 */
public final class Probe {
    /** How long a probe may take before it counts as a miss. */
    public static final Duration DEADLINE = Duration.ofSeconds(90);

    private Probe() {
    }

    /** The check itself. */
    @FunctionalInterface
    public interface Check {
        /**
         * Looks at the running bottle through {@link StepContext#guest()} and {@link StepContext#spec()}.
         *
         * @return whether the fence held, and what was seen (never a secret value)
         */
        Result run(StepContext context) throws Exception;
    }

    /**
     * What a probe saw.
     *
     * @param held   whether the fence held
     * @param saw    what was seen, in a few words, e.g. {@code 172.18.0.1:22 unreachable}
     * @param millis how long the probe took
     */
    public record Result(boolean held, String saw, long millis) {
        /** Requires the text. */
        public Result {
            Objects.requireNonNull(saw, "saw");
        }

        /** The fence held. */
        public static Result held(String saw) {
            return new Result(true, saw, 0);
        }

        /** The fence did not hold. */
        public static Result missed(String saw) {
            return new Result(false, saw, 0);
        }
    }

    /** Where the step of probe {@code id} leaves its result for the kernel. */
    public static ResultKey<Result> key(String id) {
        return new ResultKey<>("probe " + id, Result.class);
    }

    /**
     * The {@link Phase#VERIFY} step of a probe: it runs the check within {@link #DEADLINE}, leaves
     * the result under {@link #key}, and fails the launch as a missing prerequisite of the
     * environment (exit 3) when the fence did not hold.
     */
    public static Step step(String id, String summary, Check check) {
        return step(id, summary, DEADLINE, check);
    }

    /**
     * The {@link Phase#VERIFY} step of a probe that must have its result within {@code deadline}:
     * a check still running then, or one that throws, is a miss.
     */
    public static Step step(String id, String summary, Duration deadline, Check check) {
        Objects.requireNonNull(deadline, "deadline");
        return Step.of(id, Phase.VERIFY, summary, ctx -> {
            long start = System.nanoTime();
            Result seen = within(id, deadline, check, ctx);
            Result result = new Result(seen.held(), seen.saw(), (System.nanoTime() - start) / 1_000_000);
            ctx.produce(key(id), result);
            if (!result.held()) {
                throw new EnvironmentException("the fence does not hold: " + result.saw(),
                        "the bottle's fence does not hold on this machine; nothing was handed to the agent");
            }
            return Undo.NONE;
        });
    }

    /** The check's result, or a miss when it threw or had none by the deadline; the check is interrupted then. */
    private static Result within(String id, Duration deadline, Check check, StepContext ctx)
            throws InterruptedException {
        FutureTask<Result> task = new FutureTask<>(() -> check.run(ctx));
        Thread thread = new Thread(task, "probe " + id);
        thread.setDaemon(true);
        thread.start();
        try {
            Result result = task.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return result != null ? result : Result.missed("the probe gave no result");
        } catch (TimeoutException late) {
            task.cancel(true);
            return Result.missed("no result within " + deadline.toSeconds() + " s: a probe that does not finish "
                    + "proves nothing");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            return Result.missed("the probe could not run: " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()));
        } catch (InterruptedException interrupted) {
            task.cancel(true);
            throw interrupted;
        }
    }
}
