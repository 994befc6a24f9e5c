package dev.claudebottle.spi;

/** Reverses what one step did. The kernel runs undos in reverse order on failure or exit. */
@FunctionalInterface
public interface Undo {
    /** An undo that does nothing, for steps that leave nothing to reverse. */
    Undo NONE = () -> { };

    /** Reverses the step; it should tolerate resources that are already gone. */
    void undo() throws Exception;
}
