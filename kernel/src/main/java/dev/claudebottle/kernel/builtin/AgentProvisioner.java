package dev.claudebottle.kernel.builtin;

import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every agent gets: its home owned by the agent user (before any provisioner runs), the
 * bottle's plain env, its prompt and its skills.
 */
public final class AgentProvisioner {
    /** The id of the home-ownership step; provisioners that write to the home run after it. */
    public static final String HOME_STEP = "home";

    /** The agent's contribution. */
    public Contribution contribute(LaunchSpec spec) {
        String home = spec.guestHome();
        Contribution.Builder b = Contribution.builder();
        spec.bottle().env().forEach(b::guestEnv);
        b.guestEnv("HOME", home);
        b.step(Step.of(HOME_STEP, Phase.SYSTEM, "chown -R node:node " + home,
                ctx -> {
                    check(ctx.guest().exec(Guest.ROOT, List.of("chown", "-R", Guest.AGENT_USER + ":"
                            + Guest.AGENT_USER, home), Map.of()), "chown of " + home);
                    return Undo.NONE;
                }));
        String claudeDir = home + "/.claude";
        var agent = spec.agent();
        if (agent.prompt().isPresent() || agent.promptFile().isPresent()) {
            String target = claudeDir + "/CLAUDE.md";
            String from = agent.promptFile().map(Path::toString).orElse("the manifest's prompt");
            b.step(new Step("agent.prompt", Phase.PROVISION, List.of(HOME_STEP),
                    "write " + from + " to " + target + " (node, 0600)", ctx -> {
                        if (agent.promptFile().isPresent()) {
                            ctx.guest().copy(agent.promptFile().get(), target, Guest.AGENT_USER, 0600);
                        } else {
                            ctx.guest().write(agent.prompt().get().getBytes(StandardCharsets.UTF_8), target,
                                    Guest.AGENT_USER, 0600);
                        }
                        return Undo.NONE;
                    }));
        }
        if (!agent.skills().isEmpty()) {
            String targets = claudeDir + "/skills/";
            b.step(new Step("agent.skills", Phase.PROVISION, List.of(HOME_STEP),
                    "copy " + agent.skills().size() + " skill dir(s) to " + targets + " (node)", ctx -> {
                        for (Path skill : agent.skills()) {
                            ctx.guest().copyTree(skill, targets + skill.getFileName(), Guest.AGENT_USER);
                        }
                        return Undo.NONE;
                    }));
        }
        return b.build();
    }

    static void check(dev.claudebottle.spi.ExecResult result, String what) {
        if (!result.ok()) {
            throw new dev.claudebottle.spi.BottleException(what + " exited " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
    }
}
