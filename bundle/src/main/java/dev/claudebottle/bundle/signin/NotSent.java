package dev.claudebottle.bundle.signin;

import java.io.IOException;

/** A refresh failed before its refresh token left the bundle (no connection, no TLS): the token is still good. */
public final class NotSent extends IOException {
    /** Why, in a line that names no token. */
    public NotSent(String message) {
        super(message);
    }
}
