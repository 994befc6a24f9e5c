package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BackendLaunch;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Docker realisation of one launch: network, bundle, guest. The plan is complete; running
 * it needs the images and container wiring of the Docker launch, which this build does not
 * have yet, so its actions refuse with an environment error instead of doing half the work.
 */
final class DockerLaunch implements BackendLaunch {
    private final LaunchRequest request;

    DockerLaunch(LaunchRequest request) {
        this.request = request;
    }

    String network() {
        return "claude-bottle-" + request.spec().slug();
    }

    @Override
    public List<Step> steps() {
        String slug = request.spec().slug();
        String daemons = request.daemons().stream().map(d -> d.name() + ":" + d.port())
                .collect(Collectors.joining(", "));
        return List.of(
                Step.of("docker.network", Phase.LAUNCH, "create internal network " + network()
                        + " (no route out, no DNS; labels claude-bottle.slug=" + slug + ")", ctx -> refuse()),
                new Step("docker.bundle", Phase.LAUNCH, List.of("docker.network"),
                        "start the bundle container (" + daemons + ") on " + network() + " and the egress network, "
                                + request.bundleMounts().size() + " mount(s), " + request.bundleEnv().size()
                                + " env entries", ctx -> refuse()),
                new Step("docker.guest", Phase.LAUNCH, List.of("docker.bundle"),
                        "start the guest container as node on " + network() + " only, no resolver, "
                                + request.guestEnv().size() + " env entries", ctx -> refuse()));
    }

    private static dev.claudebottle.spi.Undo refuse() {
        throw new EnvironmentException("launching bottles on Docker is not available in this build",
                "use 'bottle plan' to inspect the launch");
    }

    @Override
    public Guest guest() {
        throw new IllegalStateException("the guest does not run before the launch steps ran");
    }

    @Override
    public Endpoint endpoint(String portName) {
        BundleDaemon daemon = request.daemons().stream().filter(d -> d.name().equals(portName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no port named " + portName));
        throw new IllegalStateException("port " + daemon.name() + " is not published before the bundle runs");
    }
}
