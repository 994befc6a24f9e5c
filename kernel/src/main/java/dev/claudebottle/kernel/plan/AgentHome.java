package dev.claudebottle.kernel.plan;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.util.List;
import java.util.Map;

/**
 * What the kernel gives every agent: the bottle's plain env, {@code HOME}, and the home owned by
 * the agent user before any provisioner writes into it ({@link Step#HOME}).
 */
final class AgentHome {
    private AgentHome() {
    }

    static Contribution contribute(LaunchSpec spec) {
        String home = spec.guestHome();
        Contribution.Builder b = Contribution.builder();
        spec.bottle().env().forEach(b::guestEnv);
        b.guestEnv("HOME", home);
        b.step(Step.of(Step.HOME, Phase.SYSTEM, "chown -R node:node " + home, ctx -> {
            ExecResult chown = ctx.guest().exec(Guest.ROOT, List.of("chown", "-R", Guest.AGENT_USER + ":"
                    + Guest.AGENT_USER, home), Map.of());
            if (!chown.ok()) {
                throw new BottleException("chown of " + home + " exited " + chown.exitCode() + ": "
                        + chown.stderr().strip());
            }
            return Undo.NONE;
        }));
        return b.build();
    }
}
