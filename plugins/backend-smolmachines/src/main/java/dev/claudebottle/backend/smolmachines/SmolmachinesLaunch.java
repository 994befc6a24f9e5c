package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.spi.BackendLaunch;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.util.List;

/**
 * The smolvm realisation of one launch: pack the agent image, start the bundle on Docker with
 * its ports on the bottle's loopback address, create and start the VM allowed only that address.
 * Running it needs the smolvm launch, which this build does not have yet, so its actions refuse
 * with an environment error instead of doing half the work.
 */
final class SmolmachinesLaunch implements BackendLaunch {
    private final LaunchRequest request;
    private final String loopback;

    SmolmachinesLaunch(LaunchRequest request, String loopback) {
        this.request = request;
        this.loopback = loopback;
    }

    @Override
    public List<Step> steps() {
        String machine = "claude-bottle-" + request.spec().slug();
        return List.of(
                Step.of("smolvm.pack", Phase.LAUNCH,
                        "pack the agent image into a .smolmachine (cached by image id)", ctx -> refuse()),
                new Step("smolvm.bundle", Phase.LAUNCH, List.of("smolvm.pack"),
                        "start the bundle on Docker with " + request.ports().size() + " port(s) published on "
                                + loopback, ctx -> refuse()),
                new Step("smolvm.create", Phase.LAUNCH, List.of("smolvm.bundle"),
                        "smolvm machine create " + machine + " --allow-cidr " + loopback + "/32", ctx -> refuse()),
                new Step("smolvm.start", Phase.LAUNCH, List.of("smolvm.create"),
                        "smolvm machine start " + machine, ctx -> refuse()));
    }

    private static Undo refuse() {
        throw new EnvironmentException("launching bottles on smolvm is not available in this build",
                "use 'bottle plan' to inspect the launch");
    }

    @Override
    public void removeAll() {
        // its steps refuse before creating anything
    }

    @Override
    public Guest guest() {
        throw new IllegalStateException("the guest does not run before the launch steps ran");
    }

    @Override
    public Endpoint endpoint(String portName) {
        throw new IllegalStateException("port " + portName + " is not published before the bundle runs");
    }
}
