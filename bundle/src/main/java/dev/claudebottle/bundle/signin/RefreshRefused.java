package dev.claudebottle.bundle.signin;

/** The token endpoint refused a refresh token ({@code invalid_grant}): it is spent or revoked. The message names no token. */
public final class RefreshRefused extends Exception {
    /** A refusal, and why as the endpoint said it. */
    public RefreshRefused(String reason) {
        super(reason);
    }
}
