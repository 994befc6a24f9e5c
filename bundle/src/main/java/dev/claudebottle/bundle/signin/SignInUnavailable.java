package dev.claudebottle.bundle.signin;

/**
 * There is no access token to be had: the message is one line for a person, saying what happened
 * and what to do (run {@code claude} on the host, then {@code /login}); it never holds a token.
 */
public final class SignInUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    /** The sign-in is unavailable for the reason told in {@code message}. */
    public SignInUnavailable(String message) {
        super(message);
    }
}
