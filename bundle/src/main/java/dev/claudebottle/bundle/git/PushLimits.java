package dev.claudebottle.bundle.git;

/**
 * How much one push may bring to the gate: the pack it sends and any one object in it. The gate
 * receives a push onto the host's disk before it decides, so these bound what a push costs.
 *
 * @param maxPackBytes   the largest pack one push may send
 * @param maxObjectBytes the largest object (a file, once inflated) a push may carry
 */
record PushLimits(long maxPackBytes, long maxObjectBytes) {
    /** 256 MiB a push, 16 MiB a file. */
    static final PushLimits DEFAULT = new PushLimits(256L << 20, 16L << 20);

    PushLimits {
        if (maxPackBytes <= 0 || maxObjectBytes <= 0) {
            throw new IllegalArgumentException("push limits must be positive: " + maxPackBytes + ", " + maxObjectBytes);
        }
    }
}
