package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Which exchanges spend the bottle's budget: a Messages API call ({@code POST /v1/messages}) to the
 * Anthropic API that a route injects a credential into, whatever the credential (a key, a setup
 * token, a sign-in). Traffic through tunnels is never read, so never metered.
 */
final class MeteredCall {
    /** The API whose calls are metered. */
    static final String API = "api.anthropic.com";
    private static final String MESSAGES = "/v1/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MeteredCall() {
    }

    /** Whether {@code e} is a metered call. */
    static boolean is(Exchange e) {
        String path = e.path.indexOf('?') < 0 ? e.path : e.path.substring(0, e.path.indexOf('?'));
        return e.decision.route().isPresent() && e.request.tls() && e.request.host().equals(API)
                && e.method.equals("POST") && path.equals(MESSAGES);
    }

    /** The body of the 429 a call gets once the budget is spent, in the Messages API's error shape. */
    static String spentError(String why) {
        try {
            return JSON.writeValueAsString(Map.of("type", "error", "error", Map.of("type", "rate_limit_error",
                    "message", "claude-bottle gateway: " + why)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
