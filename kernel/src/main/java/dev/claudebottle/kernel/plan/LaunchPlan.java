package dev.claudebottle.kernel.plan;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Step;
import java.util.List;
import java.util.Objects;

/**
 * A launch, fully decided but not started: what {@code bottle plan} prints and what the runner
 * executes. Pure data: its steps hold no state, and what they produce when they run lives in that
 * run's context. Secret values sit only inside {@link BundleEnv} entries and print as {@code ***}.
 *
 * @param spec          the launch
 * @param manifest      the manifest it came from
 * @param backend       the selected backend's name
 * @param backendPlugin the plugin providing it
 * @param daemons       bundle daemons, by plugin
 * @param ports         guest ports, by plugin
 * @param bundleMounts  bundle mounts, by plugin
 * @param bundleEnv     bundle env, by plugin
 * @param guestEnv      guest env, by plugin
 * @param request       everything merged, as the backend receives it
 * @param steps         every step in run order
 */
public record LaunchPlan(LaunchSpec spec, String manifest, String backend, String backendPlugin,
                         List<Owned<BundleDaemon>> daemons, List<Owned<GuestPort>> ports,
                         List<Owned<BundleMount>> bundleMounts, List<Owned<BundleEnv>> bundleEnv,
                         List<Owned<GuestEnv>> guestEnv, LaunchRequest request,
                         List<Owned<Step>> steps) {
    /** Copies every list. */
    public LaunchPlan {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(backendPlugin, "backendPlugin");
        daemons = List.copyOf(daemons);
        ports = List.copyOf(ports);
        bundleMounts = List.copyOf(bundleMounts);
        bundleEnv = List.copyOf(bundleEnv);
        guestEnv = List.copyOf(guestEnv);
        Objects.requireNonNull(request, "request");
        steps = List.copyOf(steps);
    }
}
