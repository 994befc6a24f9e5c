package dev.claudebottle.bundle.log;

import java.io.PrintStream;
import java.time.Instant;

/** The bundle's own log: one line per event on standard error, which the backend collects. */
public final class DaemonLog {
    private final String daemon;
    private final PrintStream out;

    /** A log for one daemon. */
    public DaemonLog(String daemon, PrintStream out) {
        this.daemon = daemon;
        this.out = out;
    }

    /** Writes one line. Callers never pass secret values. */
    public void info(String message) {
        out.println(Instant.now() + " " + daemon + ": " + message);
    }

    /** Writes one error line. */
    public void error(String message) {
        out.println(Instant.now() + " " + daemon + ": error: " + message);
    }
}
