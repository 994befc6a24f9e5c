package dev.claudebottle.bundle.gateway;

/** A route's value was not given to the bundle: its requests are refused (HTTP 401) with this message. */
public final class CredentialUnbound extends Exception {
    private static final long serialVersionUID = 1L;

    /** The reason, naming the bundle env variable and never a value. */
    public CredentialUnbound(String message) {
        super(message, null, false, false);
    }
}
