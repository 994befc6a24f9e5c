package dev.claudebottle.spi;

import java.util.Objects;

/**
 * A check that part of the fence holds, run from inside the guest once it is provisioned and
 * before the agent's command ({@link Phase#VERIFY}), and again by {@code bottle verify} on a
 * running bottle. A probe only looks: it changes nothing in the guest and never sends a real
 * credential into it. It finds what it needs (addresses, names) from the running bottle and the
 * guest's own env, so it works on a bottle started by another command.
 */
public final class Probe {
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
     * The {@link Phase#VERIFY} step of a probe: it runs the check, leaves the result under
     * {@link #key}, and fails the launch as a missing prerequisite of the environment (exit 3)
     * when the fence did not hold.
     */
    public static Step step(String id, String summary, Check check) {
        return Step.of(id, Phase.VERIFY, summary, ctx -> {
            long start = System.nanoTime();
            Result seen = check.run(ctx);
            Result result = new Result(seen.held(), seen.saw(), (System.nanoTime() - start) / 1_000_000);
            ctx.produce(key(id), result);
            if (!result.held()) {
                throw new EnvironmentException("the fence does not hold: " + result.saw(),
                        "the bottle's fence does not hold on this machine; nothing was handed to the agent");
            }
            return Undo.NONE;
        });
    }
}
