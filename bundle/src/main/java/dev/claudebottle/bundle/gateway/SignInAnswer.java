package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.SignInFile;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's own answer to the guest's sign-in refresh ({@code POST /v1/oauth/token} at
 * {@value SignInEndpoint#HOST}): the guest holds only sentinels, so a refresh it asks for is never
 * sent on. The gateway makes sure it holds a live token itself (refreshing if the upstream refused
 * the held one) and hands the guest its sentinels again; any other grant is refused.
 */
final class SignInAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 4096;

    /**
     * An answer: the status and JSON body the guest gets, and what the record says.
     *
     * @param status the HTTP status
     * @param json   the body
     * @param reason the record's reason
     */
    record Answer(HttpResponseStatus status, String json, String reason) {
    }

    private SignInAnswer() {
    }

    /** Whether the request is the guest's refresh, which the gateway answers itself when the bottle uses a sign-in. */
    static boolean asks(String method, String host, int port, boolean tls, String path) {
        String bare = path.indexOf('?') < 0 ? path : path.substring(0, path.indexOf('?'));
        return tls && port == 443 && host.equals(SignInEndpoint.HOST) && method.equals("POST")
                && bare.equals(SignInEndpoint.PATH);
    }

    /** The sign-in credential of the policy in force, if a route has one. */
    static Optional<SignInCredential> of(CompiledPolicy policy) {
        return policy.source().routes().stream().filter(GatewayPolicy.Route::signIn).map(GatewayPolicy.Route::credential)
                .filter(SignInCredential.class::isInstance).map(SignInCredential.class::cast).findFirst();
    }

    /** The answer to {@code request}, once the gateway holds a live token again (or cannot). */
    static CompletableFuture<Answer> answer(FullHttpRequest request, SignInCredential credential, Clock clock) {
        JsonNode body = null;
        if (request.content().readableBytes() <= MAX_BODY_BYTES) {
            // a refresh request is a few hundred bytes: nothing larger is parsed on the event loop
            try {
                body = JSON.readTree(ByteBufUtil.getBytes(request.content()));
            } catch (IOException e) {
                body = null;
            }
        }
        boolean sentinel = body != null && body.path("grant_type").asText("").equals("refresh_token")
                && body.path("refresh_token").asText("").equals(SignInFile.REFRESH_SENTINEL);
        if (!sentinel) {
            return CompletableFuture.completedFuture(new Answer(HttpResponseStatus.BAD_REQUEST, error("invalid_grant",
                    "this bottle uses the host's Claude sign-in, which the gateway keeps; the guest cannot sign in "
                            + "itself"), "a sign-in grant other than the bottle's own sentinel, not sent on"));
        }
        return credential.keeper().guestRefresh().handle((ok, failed) -> {
            if (failed != null) {
                String why = SignInCredential.why(failed);
                return new Answer(HttpResponseStatus.SERVICE_UNAVAILABLE, error("temporarily_unavailable", why),
                        "the guest's sign-in refresh: " + why);
            }
            Map<String, Object> tokens = new LinkedHashMap<>();
            tokens.put("token_type", "Bearer");
            tokens.put("access_token", SignInFile.ACCESS_SENTINEL);
            tokens.put("refresh_token", SignInFile.REFRESH_SENTINEL);
            tokens.put("expires_in", Duration.between(clock.instant(), SignInFile.SENTINEL_EXPIRY).toSeconds());
            tokens.put("scope", String.join(" ", credential.keeper().scopes()));
            return new Answer(HttpResponseStatus.OK, json(tokens), "the guest's sign-in refresh, answered with its "
                    + "sentinels: the gateway holds a live token");
        });
    }

    private static String error(String code, String description) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", code);
        error.put("error_description", "claude-bottle gateway: " + description);
        return json(error);
    }

    private static String json(Map<String, Object> tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
