package dev.claudebottle.spi.manifest;

/**
 * What the gateway does with a request to a host no rule covers: {@code egress.unknown}. Either
 * way a refusal of the SSRF kind (loopback, link-local, unspecified, multicast or reserved
 * addresses) is never asked about.
 */
public enum UnknownAction {
    /** Refuse it with 403. The default. */
    DENY,
    /** Hold it while a person decides through the approval queue, up to {@code egress.ask_timeout}. */
    ASK,
    /**
     * Let it through, intercepted where possible, to learn a policy from its audit log
     * ({@code bottle start --learn}; not a manifest value).
     */
    LEARN
}
