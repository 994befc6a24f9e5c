package dev.claudebottle.bundle.gateway;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy in force. A reload swaps it atomically: requests decided after the swap use the new
 * rules, connections already open (tunnels) are left alone.
 */
public final class PolicyHolder {
    private final AtomicReference<CompiledPolicy> current;

    /** Starts with {@code initial}. */
    public PolicyHolder(CompiledPolicy initial) {
        this.current = new AtomicReference<>(initial);
    }

    /** The policy in force. */
    public CompiledPolicy get() {
        return current.get();
    }

    /** Puts a new policy in force. */
    public void set(CompiledPolicy policy) {
        current.set(policy);
    }
}
