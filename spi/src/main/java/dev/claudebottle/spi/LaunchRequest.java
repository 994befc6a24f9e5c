package dev.claudebottle.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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

    /**
     * The guest env with every endpoint reference resolved through {@code endpoints}, in
     * contribution order: what the guest is created with and what steps see.
     */
    public Map<String, String> resolvedGuestEnv(Function<String, Endpoint> endpoints) {
        Map<String, String> env = new LinkedHashMap<>();
        for (GuestEnv e : guestEnv) {
            env.put(e.name(), e.resolve(endpoints));
        }
        return Collections.unmodifiableMap(env);
    }
}
