package dev.claudebottle.bundle.signin;

/** A refresh failed for a reason that may pass (a lock that stayed taken, an endpoint that did not answer); the message names no token. */
final class TransientFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether the refresh token may have reached the endpoint before it failed: then it counts as spent. */
    private final boolean mayHaveLeft;

    TransientFailure(String message) {
        this(message, false);
    }

    TransientFailure(String message, boolean mayHaveLeft) {
        super(message);
        this.mayHaveLeft = mayHaveLeft;
    }

    /** Whether the refresh token may have reached the endpoint, so that it is not to be sent again. */
    boolean mayHaveLeft() {
        return mayHaveLeft;
    }
}
