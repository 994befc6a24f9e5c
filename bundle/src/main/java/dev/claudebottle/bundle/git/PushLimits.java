package dev.claudebottle.bundle.git;

import java.util.Optional;
import org.eclipse.jgit.errors.TooLargeObjectInPackException;
import org.eclipse.jgit.errors.TooLargePackException;

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

    /**
     * What the agent reads when receiving a push failed on one of these limits, or empty for any
     * other failure. JGit says only that it rejects the pack; the agent needs the limit and what to do.
     */
    Optional<String> refusal(Throwable unpackError) {
        for (Throwable t = unpackError; t != null; t = t.getCause()) {
            if (t instanceof TooLargePackException) {
                return Optional.of("the push is over the git gate's limit of " + maxPackBytes + " bytes for one push; "
                        + "push fewer or smaller commits at a time, and keep large files out of the repository");
            }
            if (t instanceof TooLargeObjectInPackException) {
                return Optional.of("an object of the push is over the git gate's limit of " + maxObjectBytes
                        + " bytes for one file; keep large files out of the repository");
            }
        }
        return Optional.empty();
    }
}
