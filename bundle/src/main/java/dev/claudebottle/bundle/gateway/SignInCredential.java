package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.signin.SignInKeeper;
import dev.claudebottle.bundle.signin.SignInUnavailable;
import dev.claudebottle.spi.Secret;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A route's credential from the sign-in the gateway keeps ({@link SignInKeeper}): {@code Bearer}
 * and the live access token, refreshed ahead of its expiry and when the upstream refuses it.
 */
final class SignInCredential implements RouteCredential {
    private static final String BEARER = "Bearer ";
    private final SignInKeeper keeper;

    SignInCredential(SignInKeeper keeper) {
        this.keeper = keeper;
    }

    /** The keeper behind it, for the guest's refresh that the gateway answers. */
    SignInKeeper keeper() {
        return keeper;
    }

    @Override
    public CompletableFuture<Secret> value() {
        return keeper.accessToken().thenApply(token -> Secret.of(BEARER + token.reveal()));
    }

    @Override
    public void refused(Secret sent) {
        String value = sent.reveal();
        keeper.refused(Secret.of(value.startsWith(BEARER) ? value.substring(BEARER.length()) : value));
    }

    @Override
    public List<Secret> known() {
        return keeper.known();
    }

    @Override
    public long generation() {
        return keeper.generation();
    }

    @Override
    public String toString() {
        return "the host's Claude sign-in ***";
    }

    /** Why no credential could be had, in a line for a person. */
    static String why(Throwable failed) {
        Throwable cause = failed;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof SignInUnavailable || cause instanceof CredentialUnbound ? cause.getMessage()
                : "the host's Claude sign-in could not be had; run claude on the host, then /login if it asks";
    }
}
