package dev.claudebottle.bundle.signin;

/** No live access token can be had for the sign-in; the message tells a person what happened and what to do. */
public final class SignInUnavailable extends Exception {
    /** Why, in one line that names no token. */
    public SignInUnavailable(String message) {
        super(message);
    }
}
