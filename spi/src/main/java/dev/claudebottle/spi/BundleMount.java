package dev.claudebottle.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host path mounted into the sidecar bundle (never into the guest).
 *
 * @param hostPath   absolute path on the host
 * @param bundlePath absolute path inside the bundle
 * @param readOnly   whether the bundle may only read it
 */
public record BundleMount(Path hostPath, String bundlePath, boolean readOnly) {
    /** Requires absolute paths. */
    public BundleMount {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(bundlePath, "bundlePath");
        if (!hostPath.isAbsolute()) {
            throw new IllegalArgumentException("host path " + hostPath + " must be absolute");
        }
        if (!bundlePath.startsWith("/")) {
            throw new IllegalArgumentException("bundle path " + bundlePath + " must be absolute");
        }
    }
}
