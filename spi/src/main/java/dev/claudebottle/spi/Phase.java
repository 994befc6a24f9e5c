package dev.claudebottle.spi;

/**
 * The coarse order of launch steps. The kernel sorts steps by phase first, then by their
 * {@code after} constraints; a step may only wait for steps of its own or an earlier phase.
 */
public enum Phase {
    /** Host side, before anything starts: mint the CA, write daemon config into the state dir. */
    PREPARE,
    /** The backend realises the bottle: network, bundle, guest. Contributed by the backend only. */
    LAUNCH,
    /** Root-level guest setup every provisioner relies on: home ownership, trust store. */
    SYSTEM,
    /** Feature provisioning in the guest: git config, MCP registration, prompt, skills. */
    PROVISION,
    /** Last touches before the agent command runs; the backend's readiness waits. */
    FINISH,
    /**
     * Probes of the fence ({@link Probe}), run from inside the finished guest before the agent's
     * command, and again by {@code bottle verify}; a miss refuses the launch.
     */
    VERIFY
}
