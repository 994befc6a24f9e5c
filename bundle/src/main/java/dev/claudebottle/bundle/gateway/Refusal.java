package dev.claudebottle.bundle.gateway;

/**
 * Why the gateway refused, for the agent that reads the refusal: a stable code for the
 * {@code X-Claude-Bottle-Reason} header and what the agent may do about it.
 */
public enum Refusal {
    /** Not a refusal. */
    NONE("", ""),
    /** No rule covers the host. */
    UNKNOWN_HOST("unknown-host", "use a host this bottle allows, or ask a person to allow this one (the supervise "
            + "tool request_approval, where the bottle has it); the manifest's egress.allow, or a preset in "
            + "egress.presets, is where it is allowed"),
    /** A rule covers the host, not this port. */
    PORT("port-not-allowed", "use a port the rule allows, or ask a person to allow this one"),
    /** A rule covers the host, not this method. */
    METHOD("method-not-allowed", "use a method the rule allows, or ask a person to allow this one"),
    /** A rule covers the host, not this path. */
    PATH("path-not-allowed", "use a path the rule allows, or ask a person to allow this one"),
    /** The host resolves to an address the decision may not reach. */
    SSRF("ssrf", "internal addresses are out of reach from this bottle; nobody can grant them by asking"),
    /** A secret pattern in the request. */
    DLP("dlp", "take the secret out of the request; secrets never leave this bottle"),
    /** A route's placeholder or real value toward another host. */
    TRIPWIRE("tripwire", "a credential goes only to its own host; this was recorded as an alert for a person"),
    /** Malformed or unsafe framing. */
    PROTOCOL("protocol", "send a well-formed request"),
    /** A person refused the host when asked. */
    PERSON("refused-by-person", "a person refused this host for this bottle; do not retry it, use another way"),
    /** Nobody answered in time. */
    EXPIRED("ask-expired", "nobody answered in time; ask a person directly before trying again"),
    /** Too many questions wait already. */
    BUSY("ask-limit", "too many requests already wait for a person; wait for them before asking again"),
    /** The bottle was stopped after an alert; its code is written by {@code TrafficStop} itself. */
    STOPPED("stopped", "nothing more leaves this bottle; tell the person what you were doing"),
    /** The bottle's budget for the model is spent. */
    BUDGET("budget-spent", "the bottle's budget for the model is spent; tell the person, who can raise it"),
    /** A call whose cost nothing meters, from a bottle with a budget. */
    UNMETERED("unmetered", "a bottle with a budget makes only calls its gateway can meter; send them one by one"),
    /** No approval queue to ask through. */
    NO_QUEUE("no-approval-queue", "this bottle cannot ask a person; use a host it allows");

    private final String code;
    private final String advice;

    Refusal(String code, String advice) {
        this.code = code;
        this.advice = advice;
    }

    /** The header's value. */
    public String code() {
        return code;
    }

    /** What the agent may do, in a sentence. */
    public String advice() {
        return advice;
    }
}
