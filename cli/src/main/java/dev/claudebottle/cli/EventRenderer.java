package dev.claudebottle.cli;

import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import java.io.PrintWriter;

/** Renders kernel and plugin events on standard error; debug events only with {@code --debug}. */
public final class EventRenderer implements EventSink {
    private final PrintWriter err;
    private volatile boolean debug;

    EventRenderer(PrintWriter err) {
        this.err = err;
    }

    void debug(boolean on) {
        this.debug = on;
    }

    boolean debugging() {
        return debug;
    }

    @Override
    public void emit(Event event) {
        String line;
        if (event instanceof Event.Progress p) {
            line = progress(p);
        } else if (event instanceof Event.Debug) {
            line = debug ? "debug: " + event.message() : null;
        } else if (event instanceof Event.Warning) {
            line = "warning: " + event.message();
        } else {
            line = "bottle: " + event.message();
        }
        if (line != null) {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        }
    }

    private static String progress(Event.Progress p) {
        return p.total() > 0 ? "[" + (p.done() + 1) + "/" + p.total() + "] " + p.message() : p.message();
    }
}
