package dev.claudebottle.bundle.record;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One audit line: what went where and what the gateway decided. Paths keep query keys but not
 * their values, so no token in a URL reaches the log.
 *
 * @param time      when the request or tunnel ended
 * @param bottle    the bottle's slug
 * @param client    the guest address
 * @param kind      {@code tunnel}, {@code request} or {@code connect}
 * @param method    the HTTP method ({@code CONNECT} for tunnels)
 * @param host      the destination host
 * @param port      the destination port
 * @param path      the path without query values, or empty for tunnels
 * @param decision  {@code allow}, {@code deny}, {@code alert} or {@code warn}
 * @param rule      the rule that decided
 * @param reason    why
 * @param status    the HTTP status the guest got, 0 when not applicable
 * @param bytesUp   bytes from the guest
 * @param bytesDown bytes to the guest
 * @param durationMs how long the request or tunnel took, in milliseconds
 */
public record AuditRecord(Instant time, String bottle, String client, String kind, String method, String host,
                          int port, String path, String decision, String rule, String reason, int status,
                          long bytesUp, long bytesDown, long durationMs) {
    /** Requires the identifying parts and strips query values from the path. */
    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(decision, "decision");
        path = stripQueryValues(path == null ? "" : path);
    }

    /**
     * A line about a question put to a person: {@code event} {@code request} (state {@code pending}
     * or {@code resumed}) or {@code decision} (state {@code approved}, {@code denied} or
     * {@code expired}, and who decided when), with the request's id as its path.
     */
    public static AuditRecord approval(String slug, String event, String asker, String id, String state,
                                       String reason) {
        return new AuditRecord(Instant.now(), slug, "", "approval", event, asker, 0, id, state, asker, reason, 0, 0,
                0, 0);
    }

    /**
     * The sort under which the rate limit may count this line in a summary instead of writing it: a
     * refusal ({@code connect deny}) or a notification the guest left the person ({@code supervise notify}),
     * lines about nothing that left the bottle. Nothing for what passed, alerts and approvals: those
     * lines are always written.
     */
    public Optional<String> summarisedAs() {
        if (decision.equals("deny")) {
            return Optional.of(kind + " deny");
        }
        return kind.equals("supervise") ? Optional.of(kind + " " + method) : Optional.empty();
    }

    /** This line with every text longer than {@code maxChars} cut there, saying how much was cut. */
    public AuditRecord fitted(int maxChars) {
        return new AuditRecord(time, cut(bottle, maxChars), cut(client, maxChars), cut(kind, maxChars),
                cut(method, maxChars), cut(host, maxChars), port, cut(path, maxChars), cut(decision, maxChars),
                cut(rule, maxChars), cut(reason, maxChars), status, bytesUp, bytesDown, durationMs);
    }

    private static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        // never half a surrogate pair
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end) + "… (" + (text.length() - end) + " more characters cut)";
    }

    /** What a decision line says of who decided, when, for what scope, and why. */
    public static String decided(String by, Instant at, String scope, String reason) {
        return "decided by " + (by.equals("host") ? "a person" : by) + " at " + at + " (scope " + scope + ")"
                + (reason.isBlank() ? "" : ": " + reason);
    }

    /** {@code /a?k=v&x} becomes {@code /a?k=&x}. */
    static String stripQueryValues(String path) {
        int q = path.indexOf('?');
        if (q < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.substring(0, q + 1));
        String[] parts = path.substring(q + 1).split("&", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = parts[i].indexOf('=');
            out.append(eq < 0 ? parts[i] : parts[i].substring(0, eq + 1));
        }
        return out.toString();
    }
}
