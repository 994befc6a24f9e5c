package dev.claudebottle.provision.supervise;

import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * For bottles that declare {@code supervise}: the MCP daemon and its port, {@code MCP_SUPERVISE_URL}
 * in the guest and the server registered with Claude Code. The approval queue it files into is the
 * bundle base's, which every bottle has. A failed registration is a warning, not a failed launch.
 */
@Extension
public final class SuperviseProvisioner implements Provisioner {
    /** The daemon's and the guest port's name. */
    private static final String DAEMON = BundleLayout.SUPERVISE;
    private final EventSink events;

    /** Created by the kernel's injector. */
    @Inject
    public SuperviseProvisioner(EventSink events) {
        this.events = events;
    }

    @Override
    public Contribution contribute(LaunchSpec spec) {
        Optional<SuperviseDef> supervise = spec.bottle().section(SuperviseSection.KEY, SuperviseDef.class);
        if (supervise.isEmpty()) {
            return Contribution.none();
        }
        String url = "http://{endpoint:" + DAEMON + "}/mcp";
        return Contribution.builder()
                .daemon(new BundleDaemon(DAEMON, BundleLayout.SUPERVISE_PORT))
                .port(new GuestPort(DAEMON, BundleLayout.SUPERVISE_PORT))
                .bundleEnv(BundleVariables.SUPERVISE_PORT.entry(BundleLayout.SUPERVISE_PORT))
                .bundleEnv(BundleVariables.SUPERVISE_TIMEOUT.entry(supervise.get().timeout()))
                .guestEnv("MCP_SUPERVISE_URL", url)
                // Claude Code's own wait for a tool result must outlast the human's
                .guestEnv("MCP_TOOL_TIMEOUT", Long.toString(supervise.get().timeout().plusMinutes(1).toMillis()))
                .step(new Step("supervise.register", Phase.PROVISION, List.of(Step.HOME),
                        "register the supervise MCP server with Claude Code (claude mcp add --transport http)",
                        ctx -> {
                            String resolved = ctx.guestEnv().get("MCP_SUPERVISE_URL");
                            ExecResult r = ctx.guest().exec(Guest.AGENT_USER, List.of("claude", "mcp", "add",
                                    "--scope", "user", "--transport", "http", DAEMON, resolved), Map.of());
                            if (!r.ok()) {
                                events.warn("could not register the supervise MCP server with Claude Code (exit "
                                        + r.exitCode() + "): " + r.stderr().strip()
                                        + "; the agent can still reach it at " + resolved);
                            }
                            return Undo.NONE;
                        }))
                .build();
    }
}
