package dev.claudebottle.bundle.gateway;

/**
 * Which addresses a host may resolve to and still be connected to: the SSRF fence of one decision.
 */
public enum Reach {
    /** Public addresses only: a wildcard or route host, unless it says {@code private: true}. */
    PUBLIC,
    /**
     * Public and private-network addresses (private, shared, unique-local), never loopback,
     * link-local (cloud metadata), unspecified, multicast or reserved ones: a host a person granted,
     * or one a learning bottle reached.
     */
    PRIVATE_NETWORKS,
    /** Any address: a host the manifest allows by name, or with {@code private: true}. */
    ANY
}
