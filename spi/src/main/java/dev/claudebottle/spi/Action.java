package dev.claudebottle.spi;

/** The work of one launch step. */
@FunctionalInterface
public interface Action {
    /**
     * Does the step's work.
     *
     * @return how to reverse it, or {@link Undo#NONE}
     */
    Undo run(StepContext context) throws Exception;
}
