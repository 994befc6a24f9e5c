package dev.claudebottle.spi;

import java.util.List;
import java.util.Objects;

/**
 * Everything the backend must realise, merged from all contributions.
 *
 * @param spec         the launch
 * @param daemons      bundle daemons to run
 * @param bundleMounts host paths to mount into the bundle
 * @param bundleEnv    the bundle's env, including secrets
 * @param ports        bundle ports the guest must reach
 * @param guestEnv     the guest's env templates
 */
public record LaunchRequest(LaunchSpec spec, List<BundleDaemon> daemons, List<BundleMount> bundleMounts,
                            List<BundleEnv> bundleEnv, List<GuestPort> ports, List<GuestEnv> guestEnv) {
    /** Copies every list. */
    public LaunchRequest {
        Objects.requireNonNull(spec, "spec");
        daemons = List.copyOf(daemons);
        bundleMounts = List.copyOf(bundleMounts);
        bundleEnv = List.copyOf(bundleEnv);
        ports = List.copyOf(ports);
        guestEnv = List.copyOf(guestEnv);
    }
}
