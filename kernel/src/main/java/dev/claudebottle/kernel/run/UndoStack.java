package dev.claudebottle.kernel.run;

import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Undo;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undos of the steps that ran, newest on top. {@link #unwind()} runs them in reverse and is
 * safe to call from a shutdown hook while the launch thread is still working: each undo runs
 * exactly once, and every caller returns only when the stack is empty.
 */
public final class UndoStack implements AutoCloseable {
    private final Deque<Labelled> stack = new ArrayDeque<>();
    private final EventSink events;
    private boolean closed;

    /** A stack that reports undo failures as warnings. */
    public UndoStack(EventSink events) {
        this.events = events;
    }

    /**
     * Records how to reverse a step. Once unwinding has begun the stack is closed: an undo pushed
     * then (a step that finished while a shutdown hook tore the bottle down) runs at once.
     */
    public synchronized void push(String label, Undo undo) {
        stack.push(new Labelled(label, undo));
        if (closed) {
            unwind();
        }
    }

    /** Whether unwinding has begun: no further step should start. */
    public synchronized boolean closed() {
        return closed;
    }

    /** How many undos are pending. */
    public synchronized int size() {
        return stack.size();
    }

    /**
     * Runs every pending undo, newest first; a failing undo is reported and the rest still run.
     * A second caller (a shutdown hook racing the launch thread) waits until the first is done, so
     * the process never exits with an undo half-run.
     */
    public synchronized void unwind() {
        closed = true;
        Labelled next;
        while ((next = stack.poll()) != null) {
            long start = System.nanoTime();
            try {
                next.undo().undo();
                events.debug("undone: " + next.label() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
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
