package dev.claudebottle.spi;

/** The host lacks something: no Docker, backend prerequisites missing. Exit code 3. */
public class EnvironmentException extends BottleException {
    private static final long serialVersionUID = 1L;

    /** A missing prerequisite with a hint on how to get it. */
    public EnvironmentException(String message, String hint) {
        super(message, hint);
    }

    /** A missing prerequisite with a hint and the underlying cause. */
    public EnvironmentException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }
}
