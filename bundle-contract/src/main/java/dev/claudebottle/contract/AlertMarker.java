package dev.claudebottle.contract;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The mark the bundle leaves beside the audit log at a bottle's first alert (a placeholder or a
 * real value on its way to another host, a real value in a response): from then on the host
 * shows the bottle as tainted. Later alerts go to the audit log only.
 *
 * @param at     when the first alert was raised
 * @param rule   what raised it, e.g. {@code tripwire}
 * @param reason what it saw, in words (guest-influenced: shown through inert text)
 */
public record AlertMarker(Instant at, String rule, String reason) {
    /** The marker's file name, in the audit folder ({@link BundleLayout#AUDIT_DIR} in the bundle). */
    public static final String FILE = "tainted.json";

    /** Requires every part. */
    public AlertMarker {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    /** Its JSON tree. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", at.toString());
        json.put("rule", rule);
        json.put("reason", reason);
        return json;
    }

    /** The marker in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
    public static AlertMarker fromJson(Object tree) {
        JsonTree m = new JsonTree("the alert marker", tree);
        return new AlertMarker(m.get("at").instant(), m.get("rule").text(), m.get("reason").text());
    }
}
