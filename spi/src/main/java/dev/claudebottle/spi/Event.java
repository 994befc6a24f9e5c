package dev.claudebottle.spi;

import java.util.Objects;

/**
 * Something the core or a plugin reports. The core never prints; the CLI renders events
 * (plain text, {@code --json}, quiet or debug).
 */
public sealed interface Event {
    /** The event's text, without secret values. */
    String message();

    /** A lifecycle milestone ("bundle started"). */
    record Lifecycle(String message) implements Event {
        /** Requires a message. */
        public Lifecycle {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Progress of long work.
     *
     * @param message what is being done
     * @param done    units done so far
     * @param total   units in all, or -1 when unknown
     */
    record Progress(String message, long done, long total) implements Event {
        /** Requires a message. */
        public Progress {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Something the user should know but that does not stop the work. */
    record Warning(String message) implements Event {
        /** Requires a message. */
        public Warning {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Detail shown only with {@code --debug}. */
    record Debug(String message) implements Event {
        /** Requires a message. */
        public Debug {
            Objects.requireNonNull(message, "message");
        }
    }
}
