package dev.claudebottle.bundle.signin;

/**
 * The endpoint refused the refresh token (HTTP 400/401 with invalid_grant or similar): the token is
 * spent or revoked and must not be sent again. The message names no token.
 */
public final class RefreshRefused extends Exception {
    private static final long serialVersionUID = 1L;

    /** A refusal for {@code reason}, such as the endpoint's error code; never a token. */
    public RefreshRefused(String reason) {
        super(reason);
    }
}
