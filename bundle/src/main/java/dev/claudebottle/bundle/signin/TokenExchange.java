package dev.claudebottle.bundle.signin;

import dev.claudebottle.spi.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Exchanges a refresh token at the sign-in's token endpoint (the gateway implements it over its own egress). */
public interface TokenExchange {
    /**
     * The answer of one refresh; completes exceptionally with {@link RefreshRefused} when the endpoint
     * refused the token (invalid_grant: do not retry it), any other exception is transient.
     */
    CompletableFuture<Tokens> refresh(Secret refreshToken, List<String> scopes);

    /**
     * A token endpoint's answer: refreshToken empty when none came (the old one stays good), scopes
     * empty when none came; {@code toString()} shows no token.
     *
     * @param accessToken  the new access token
     * @param refreshToken the new refresh token, if the endpoint rotated it
     * @param expiresIn    how long the new access token is good for
     * @param scopes       the scopes granted, if the endpoint named them
     */
    record Tokens(Secret accessToken, Optional<Secret> refreshToken, Duration expiresIn, List<String> scopes) {
        /** Requires every part and copies the scopes. */
        public Tokens {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
            Objects.requireNonNull(expiresIn, "expiresIn");
            scopes = List.copyOf(scopes);
        }
    }
}
