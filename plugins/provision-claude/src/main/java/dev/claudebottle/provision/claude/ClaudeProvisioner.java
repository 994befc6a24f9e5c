package dev.claudebottle.provision.claude;

import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Claude Code in the guest: the agent's prompt and skills where Claude Code reads them, no
 * nonessential traffic, and its first-run answers seeded once every other provisioner wrote its
 * part, so it opens straight on its prompt.
 */
@Extension
public final class ClaudeProvisioner implements Provisioner {
    /** The id of the step that seeds Claude Code's user configuration, after every provisioner wrote its part. */
    public static final String CLAUDE_CONFIG_STEP = "agent.claude-config";
    private final HostEnvironment env;

    /** A provisioner for a host without a Claude sign-in. */
    public ClaudeProvisioner() {
        this(HostEnvironment.of(Map.of()));
    }

    /** Created by the kernel's injector: the host env says where the host's Claude sign-in is. */
    @jakarta.inject.Inject
    public ClaudeProvisioner(HostEnvironment env) {
        this.env = env;
    }

    @Override
    public Contribution contribute(LaunchSpec spec) {
        String home = spec.guestHome();
        Contribution.Builder b = Contribution.builder();
        // The bottle's env wins over the defaults: a user turns nonessential traffic back on there.
        ClaudeCodeConfig.QUIET_ENV.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> !spec.bottle().env().containsKey(e.getKey()))
                .forEach(e -> b.guestEnv(e.getKey(), e.getValue()));
        String claudeDir = home + "/.claude";
        var agent = spec.agent();
        if (agent.prompt().isPresent() || agent.promptFile().isPresent()) {
            String target = claudeDir + "/CLAUDE.md";
            String from = agent.promptFile().map(Path::toString).orElse("the manifest's prompt");
            b.step(new Step("agent.prompt", Phase.PROVISION, List.of(Step.HOME),
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
            b.step(new Step("agent.skills", Phase.PROVISION, List.of(Step.HOME),
                    "copy " + agent.skills().size() + " skill dir(s) to " + targets + " (node)", ctx -> {
                        for (Path skill : agent.skills()) {
                            ctx.guest().copyTree(skill, targets + skill.getFileName(), Guest.AGENT_USER);
                        }
                        return Undo.NONE;
                    }));
        }
        if (spec.routes().stream().anyMatch(r -> r.route().login().isPresent())) {
            String target = claudeDir + "/" + SignInFile.NAME;
            b.step(new Step("agent.sign-in", Phase.PROVISION, List.of(Step.HOME), "write a sentinel Claude sign-in "
                    + "to " + target + " (node, 0600): the real one stays with the gateway", ctx -> {
                        ctx.guest().write(SentinelSignIn.text(env), target, Guest.AGENT_USER, 0600);
                        return Undo.NONE;
                    }));
        }
        b.step(new Step(CLAUDE_CONFIG_STEP, Phase.FINISH, List.of(Step.HOME),
                "seed Claude Code's first-run answers beneath " + home + "/.claude.json and " + claudeDir
                        + "/settings.json (onboarding done, " + home + " trusted, the placeholder key approved,"
                        + " bypass-permissions accepted)", ctx -> {
                    String state = home + "/.claude.json";
                    String settings = claudeDir + "/settings.json";
                    List<String> current = read(ctx.guest(), List.of(state, settings));
                    write(ctx.guest(), state, () -> ClaudeCodeConfig.userState(current.get(0), home,
                            Optional.ofNullable(ctx.guestEnv().get("ANTHROPIC_API_KEY"))));
                    write(ctx.guest(), settings, () -> ClaudeCodeConfig.userSettings(current.get(1)));
                    return Undo.NONE;
                }));
        return b.build();
    }

    /** A seeded file's new text. */
    private interface Seed {
        String text() throws Exception;
    }

    /** The guest files' texts, read as the agent in one exec; empty for a file that does not exist. */
    private static List<String> read(Guest guest, List<String> paths) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c",
                "for f; do if [ -e \"$f\" ]; then cat \"$f\"; fi; printf '\\0'; done", "sh"));
        argv.addAll(paths);
        ExecResult read = guest.exec(Guest.AGENT_USER, argv, Map.of());
        check(read, "reading " + String.join(" and ", paths));
        String[] texts = read.stdout().split("\0", -1);
        return List.of(texts).subList(0, paths.size());
    }

    private static void write(Guest guest, String path, Seed seed) throws Exception {
        String text;
        try {
            text = seed.text();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.claudebottle.spi.BottleException(path + " in the guest is not a JSON object, so Claude"
                    + " Code's first-run answers cannot be added to it", "fix or remove the file the agent image"
                    + " or a provisioner put there");
        }
        guest.write(text.getBytes(StandardCharsets.UTF_8), path, Guest.AGENT_USER, 0600);
    }

    private static void check(ExecResult result, String what) {
        if (!result.ok()) {
            throw new dev.claudebottle.spi.BottleException(what + " exited " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
    }
}
