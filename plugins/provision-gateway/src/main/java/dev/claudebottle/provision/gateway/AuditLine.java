package dev.claudebottle.provision.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of one audit line a proposal reads. The host, method and path are what the guest
 * sent, so they may hold anything; the host is lower-cased without a trailing dot, as the
 * gateway's rules compare it.
 *
 * @param kind     {@code request}, {@code tunnel}, or a kind the proposal passes over
 * @param method   the method
 * @param host     the host
 * @param port     the port, 0 when the line has none
 * @param path     the path, empty for a tunnel
 * @param decision {@code allow}, {@code alert}, …
 * @param rule     the rule that decided
 * @param reason   why
 */
record AuditLine(String kind, String method, String host, int port, String path, String decision, String rule,
                 String reason) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRAFFIC = Set.of("request", "tunnel");

    /** The line, or empty when it is not a JSON object (a truncated last line). */
    static Optional<AuditLine> parse(String line) {
        JsonNode a;
        try {
            a = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (a == null || !a.isObject()) {
            return Optional.empty();
        }
        String host = a.path("host").asText().toLowerCase(Locale.ROOT);
        return Optional.of(new AuditLine(a.path("kind").asText(), a.path("method").asText(),
                host.endsWith(".") ? host.substring(0, host.length() - 1) : host, a.path("port").asInt(),
                a.path("path").asText(), a.path("decision").asText(), a.path("rule").asText(),
                a.path("reason").asText()));
    }

    /** Whether this is a request or tunnel the gateway let through. */
    boolean allowedTraffic() {
        return TRAFFIC.contains(kind) && decision.equals("allow") && !host.isEmpty();
    }

    /** Whether this is a tunnel, which has no method or path of its own. */
    boolean tunnel() {
        return kind.equals("tunnel");
    }

    /** Whether the gateway raised an alert here (the tripwire caught a credential). */
    boolean alert() {
        return decision.equals("alert");
    }
}
