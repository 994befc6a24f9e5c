package dev.claudebottle.bundle.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The bundle's own log: one line per event on standard error, which the backend collects. A message
 * is always one line: a control character in it (a line break a guest put into a name an
 * exception quotes, say) is written as {@code \\uXXXX}, so no text can begin a line of its own.
 */
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
        out.println(Instant.now() + " " + daemon + ": " + oneLine(message));
    }

    /** Writes one error line. */
    public void error(String message) {
        out.println(Instant.now() + " " + daemon + ": error: " + oneLine(message));
    }

    /** {@code text} with every control character but the tab escaped. */
    static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c != '\t' && (Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
