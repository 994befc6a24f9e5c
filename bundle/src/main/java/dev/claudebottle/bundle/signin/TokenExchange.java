package dev.claudebottle.bundle.signin;

import dev.claudebottle.spi.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Exchanges a refresh token at the sign-in's token endpoint (the gateway does it over the bottle's own egress). */
public interface TokenExchange {
    /**
     * The answer of one refresh; completes exceptionally with {@link RefreshRefused} when the
     * endpoint refused the token (do not send it again), with anything else when it may be tried again.
     */
    CompletableFuture<Tokens> refresh(Secret refreshToken, List<String> scopes);

    /**
     * A token endpoint's answer; {@code toString()} shows no token.
     *
     * @param accessToken  the new access token
     * @param refreshToken the new refresh token, empty when none came (the old one stays good)
     * @param expiresIn    how long the access token is good for
     * @param scopes       the scopes granted, empty when the answer names none
     */
    record Tokens(Secret accessToken, Optional<Secret> refreshToken, Duration expiresIn, List<String> scopes) {
        /** Requires every part. */
        public Tokens {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
            Objects.requireNonNull(expiresIn, "expiresIn");
            scopes = List.copyOf(scopes);
        }
    }
}
