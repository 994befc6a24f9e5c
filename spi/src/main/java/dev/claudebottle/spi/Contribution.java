package dev.claudebottle.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * What one plugin adds to a launch. Immutable; build it with {@link #builder()}.
 *
 * @param daemons      bundle daemons to enable
 * @param bundleMounts host paths to mount into the bundle
 * @param bundleEnv    entries of the bundle's process env (plain or secret)
 * @param ports        bundle ports the guest must reach
 * @param guestEnv     entries of the guest's env
 * @param steps        launch steps
 */
public record Contribution(List<BundleDaemon> daemons, List<BundleMount> bundleMounts, List<BundleEnv> bundleEnv,
                           List<GuestPort> ports, List<GuestEnv> guestEnv, List<Step> steps) {
    /** Copies every list. */
    public Contribution {
        daemons = List.copyOf(daemons);
        bundleMounts = List.copyOf(bundleMounts);
        bundleEnv = List.copyOf(bundleEnv);
        ports = List.copyOf(ports);
        guestEnv = List.copyOf(guestEnv);
        steps = List.copyOf(steps);
    }

    /** A contribution that adds nothing: the plugin does not apply to this launch. */
    public static Contribution none() {
        return builder().build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a contribution. */
    public static final class Builder {
        private final List<BundleDaemon> daemons = new ArrayList<>();
        private final List<BundleMount> bundleMounts = new ArrayList<>();
        private final List<BundleEnv> bundleEnv = new ArrayList<>();
        private final List<GuestPort> ports = new ArrayList<>();
        private final List<GuestEnv> guestEnv = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();

        private Builder() {
        }

        /** Enables a bundle daemon. */
        public Builder daemon(BundleDaemon daemon) {
            daemons.add(daemon);
            return this;
        }

        /** Mounts a host path into the bundle. */
        public Builder bundleMount(BundleMount mount) {
            bundleMounts.add(mount);
            return this;
        }

        /** Adds an entry to the bundle's env. */
        public Builder bundleEnv(BundleEnv env) {
            bundleEnv.add(env);
            return this;
        }

        /** Asks the backend to make a bundle port reachable from the guest. */
        public Builder port(GuestPort port) {
            ports.add(port);
            return this;
        }

        /** Adds an entry to the guest's env. */
        public Builder guestEnv(String name, String template) {
            guestEnv.add(new GuestEnv(name, template));
            return this;
        }

        /** Adds a launch step. */
        public Builder step(Step step) {
            steps.add(step);
            return this;
        }

        /** The immutable contribution. */
        public Contribution build() {
            return new Contribution(daemons, bundleMounts, bundleEnv, ports, guestEnv, steps);
        }
    }
}
