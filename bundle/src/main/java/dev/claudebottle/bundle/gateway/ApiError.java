package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * An answer the gateway gives in place of the Anthropic API, in the API's own error shape
 * ({@code {"type":"error","error":{"type":…,"message":…}}}), which Claude Code shows the person
 * as it shows the API's own errors.
 */
enum ApiError {
    /** No credential to send: the sign-in is gone or refused. */
    AUTHENTICATION("authentication_error"),
    /** The bottle's budget is spent. */
    RATE_LIMIT("rate_limit_error"),
    /** The bottle may not make this call at all. */
    PERMISSION("permission_error");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String type;

    ApiError(String type) {
        this.type = type;
    }

    /** The body, its message saying the gateway answered and {@code why}. */
    String body(String why) {
        try {
            return JSON.writeValueAsString(Map.of("type", "error", "error", Map.of("type", type,
                    "message", "claude-bottle gateway: " + why)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
