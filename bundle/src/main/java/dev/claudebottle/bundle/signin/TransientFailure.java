package dev.claudebottle.bundle.signin;

/** A refresh failed for a reason that may pass (a lock that stayed taken, an endpoint that did not answer); the message names no token. */
final class TransientFailure extends Exception {
    private static final long serialVersionUID = 1L;

    TransientFailure(String message) {
        super(message);
    }
}
