package dev.claudebottle.kernel.run;

import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Undo;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undos of the steps that ran, newest on top. {@link #unwind()} runs them in reverse and is
 * safe to call from a shutdown hook while the launch thread is still working: each undo runs
 * exactly once.
 */
public final class UndoStack implements AutoCloseable {
    private final Deque<Labelled> stack = new ArrayDeque<>();
    private final EventSink events;

    /** A stack that reports undo failures as warnings. */
    public UndoStack(EventSink events) {
        this.events = events;
    }

    /** Records how to reverse a step. */
    public synchronized void push(String label, Undo undo) {
        stack.push(new Labelled(label, undo));
    }

    /** How many undos are pending. */
    public synchronized int size() {
        return stack.size();
    }

    /** Runs every pending undo, newest first; a failing undo is reported and the rest still run. */
    public void unwind() {
        while (true) {
            Labelled next;
            synchronized (this) {
                next = stack.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.undo().undo();
                events.debug("undone: " + next.label());
            } catch (Exception e) {
                events.warn("could not undo " + next.label() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        unwind();
    }

    private record Labelled(String label, Undo undo) {
    }
}
