package dev.claudebottle.provision.git;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.contract.GateConfigFile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Enables the git gate for the bottle's declared upstreams: the daemon and its port, the gate's
 * config and read-only credentials in the bundle, {@code GIT_GATE_URL} and insteadOf rules in the
 * guest, and with {@code --cwd} a copy of the host repository as the agent's workspace. The host
 * SSH key is mounted into the bundle only.
 */
@Extension
public final class GitProvisioner implements Provisioner {
    /** The daemon's and the guest port's name. */
    private static final String DAEMON = BundleLayout.GIT_GATE;
    /** Prefix of the bundle env variables that carry HTTPS tokens. */
    public static final String TOKEN_PREFIX = "CLAUDE_BOTTLE_GIT_TOKEN_";
    private final EventSink events;
    private final HostEnvironment hostEnv;

    /** Created by the kernel's injector. */
    @Inject
    public GitProvisioner(EventSink events, HostEnvironment hostEnv) {
        this.events = events;
        this.hostEnv = hostEnv;
    }

    @Override
    public Contribution contribute(LaunchSpec spec) {
        List<GitRepoDef> repos = spec.bottle().section(GitSection.KEY, GitSection.Repos.class)
                .map(GitSection.Repos::repos).orElse(List.of());
        Optional<Path> workspace = spec.cwd().flatMap(GitProvisioner::repositoryRoot);
        spec.cwd().filter(dir -> workspace.isEmpty()).ifPresent(dir -> events.warn("--cwd: " + dir
                + " is not inside a git repository, so the agent starts with an empty workspace"));
        if (repos.isEmpty() && workspace.isEmpty()) {
            return Contribution.none();
        }
        Path dataDir = spec.stateDir().resolve("git");
        String home = spec.guestHome();
        Contribution.Builder b = Contribution.builder();
        Map<String, String> tokenVariables = new LinkedHashMap<>();
        for (GitRepoDef repo : repos) {
            repo.tokenEnv().ifPresent(variable -> {
                String token = hostEnv.get(variable).filter(v -> !v.isEmpty()).orElseThrow(() -> new BadInputException(
                        "git entry " + repo.name() + " at " + repo.location() + " needs the host variable " + variable
                                + ", which is not set", "export " + variable + " before starting the bottle"));
                String bundleVariable = TOKEN_PREFIX + tokenVariables.size();
                tokenVariables.put(repo.name(), bundleVariable);
                b.bundleEnv(BundleEnv.secret(bundleVariable, Secret.of(token)));
            });
        }
        GateConfigFile config = GateConfig.render(repos, BundleLayout.GIT_CREDENTIALS_DIR, tokenVariables);
        b.daemon(new BundleDaemon(DAEMON, BundleLayout.GIT_GATE_PORT))
                .port(new GuestPort(DAEMON, BundleLayout.GIT_GATE_PORT))
                .bundleMount(new BundleMount(dataDir, BundleLayout.GIT_DATA_DIR, false))
                .bundleEnv(BundleVariables.GIT_CONFIG.entry(BundleLayout.GIT_CONFIG))
                .bundleEnv(BundleVariables.GIT_GATE_PORT.entry(BundleLayout.GIT_GATE_PORT))
                .guestEnv("GIT_GATE_URL", "git://{endpoint:" + DAEMON + "}");
        for (GitRepoDef repo : repos) {
            repo.identityFile().ifPresent(f -> b.bundleMount(
                    new BundleMount(f, BundleLayout.GIT_CREDENTIALS_DIR + "/" + repo.name() + "/id", true)));
            repo.knownHosts().ifPresent(f -> b.bundleMount(
                    new BundleMount(f, BundleLayout.GIT_CREDENTIALS_DIR + "/" + repo.name() + "/known_hosts", true)));
        }
        b.step(Step.of("git.config", Phase.PREPARE,
                "write the git gate config for " + repos.size() + " repo(s) to " + dataDir, ctx -> {
                    GateConfig.write(config, dataDir.resolve("repos.json"));
                    return Undo.NONE;
                }));
        b.step(new Step("git.gitconfig", Phase.PROVISION, List.of(Step.HOME),
                "write " + home + "/.gitconfig rewriting " + repos.size() + " upstream(s) to the git gate", ctx -> {
                    String text = GitConfigText.render(ctx.endpoint(DAEMON), repos);
                    ctx.guest().write(text.getBytes(StandardCharsets.UTF_8), home + "/.gitconfig",
                            Guest.AGENT_USER, 0644);
                    return Undo.NONE;
                }));
        workspace.ifPresent(dir -> b.step(new Step("git.workspace", Phase.PROVISION, List.of("git.gitconfig"),
                "copy " + dir.resolve(".git") + " to " + home + "/workspace and check it out", ctx -> {
                    String target = home + "/workspace";
                    ctx.guest().copyTree(dir.resolve(".git"), target + "/.git", Guest.AGENT_USER);
                    ExecResult r = ctx.guest().exec(Guest.AGENT_USER,
                            List.of("git", "-C", target, "reset", "--hard", "--quiet", "HEAD"), Map.of());
                    if (!r.ok()) {
                        throw new BottleException("git checkout of the workspace exited " + r.exitCode() + ": "
                                + r.stderr().strip(), "check that " + dir + " is a valid git repository");
                    }
                    return Undo.NONE;
                })));
        return b.build();
    }

    /** The folder holding {@code .git}: the directory itself or its nearest ancestor, as git finds it. */
    static Optional<Path> repositoryRoot(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve(".git"))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
