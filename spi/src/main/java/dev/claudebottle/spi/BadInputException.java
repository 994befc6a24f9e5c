package dev.claudebottle.spi;

/** The user's input is wrong: usage, manifest, unknown agent or backend. Exit code 2. */
public class BadInputException extends BottleException {
    private static final long serialVersionUID = 1L;

    /** Bad input with a message. */
    public BadInputException(String message) {
        super(message);
    }

    /** Bad input with a message and a hint. */
    public BadInputException(String message, String hint) {
        super(message, hint);
    }
}
