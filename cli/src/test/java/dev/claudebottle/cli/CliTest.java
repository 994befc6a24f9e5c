package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static final String KEY = "sk-ant-api03-THIS-MUST-NOT-LEAK-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    Path home;
    Path work;

    @BeforeEach
    void dirs() throws IOException {
        home = Files.createDirectories(temp.resolve("home"));
        work = Files.createDirectories(temp.resolve("work"));
    }

    private CliHarness cli() {
        return new CliHarness(home, work);
    }

    private static List<String> ids(JsonNode steps) {
        List<String> ids = new ArrayList<>();
        steps.forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    @Test
    void versionPrintsTheVersionAndExits0() {
        var r = cli().run("--version");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("bottle ").doesNotContain("unknown");
    }

    @Test
    void unknownCommandAndUnknownOptionExit2WithAHint() {
        var r = cli().run("frobnicate");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("error:").contains("hint: run 'bottle --help'");
        var r2 = cli().run("plan", "claude", "--no-such-flag");
        assertThat(r2.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r2.err()).contains("--no-such-flag").contains("bottle plan --help");
    }

    @Test
    void helpExplainsEverySubcommand() {
        var r = cli().run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("plugins").contains("plan").contains("doctor").contains("Exit codes");
        for (Class<?> sub : Cli.SUBCOMMANDS) {
            String name = sub.getAnnotation(picocli.CommandLine.Command.class).name();
            assertThat(r.out()).as(name).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(r.out()).as("a bundled plugin's command").containsPattern("(?m)^  supervise ");
        assertThat(cli().run().out()).isEqualTo(r.out());
        assertThat(cli().run("--debug", "--help").out()).isEqualTo(r.out());
    }

    @Test
    void helpOfOneSubcommandIsTheSameWhicheverWayItIsAsked() {
        var direct = cli().run("run", "--help");
        var viaHelp = cli().run("help", "run");
        assertThat(direct.exitCode()).isZero();
        assertThat(viaHelp.exitCode()).isZero();
        assertThat(direct.out()).startsWith("Usage: bottle run").contains("exit code").isEqualTo(viaHelp.out());
        var nested = cli().run("supervise", "--help");
        assertThat(nested.out()).contains("approve").contains("deny").contains("watch");
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertThat(Cli.needed("--debug", "run", "demo", "--", "ls")).containsExactly(RunCommand.class);
        assertThat(Cli.needed("supervise", "ls")).as("a plugin's command").isEqualTo(Cli.SUBCOMMANDS);
        assertThat(Cli.needed("--version")).isEmpty();
        assertThat(Cli.needed("--version", "--help")).isEqualTo(Cli.SUBCOMMANDS);
        assertThat(Cli.needed("help", "run")).isEqualTo(Cli.SUBCOMMANDS);
        assertThat(Cli.needed("frobnicate")).isEqualTo(Cli.SUBCOMMANDS);
        assertThat(Cli.needed()).isEqualTo(Cli.SUBCOMMANDS);
    }

    @Test
    void pluginsJsonListsTheBundledPluginsWithKinds() throws IOException {
        var r = cli().run("plugins", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode rows = JSON.readTree(r.out());
        assertThat(rows.isArray()).isTrue();
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> {
            ids.add(row.get("id").asText());
            assertThat(row.get("source").asText()).isEqualTo("bundled");
            assertThat(row.get("state").asText()).isEqualTo("loaded");
            assertThat(row.get("version").asText()).isNotBlank();
            assertThat(row.get("path").asText()).isNotBlank();
        });
        assertThat(ids).containsExactly("backend-docker", "backend-kubernetes", "backend-smolmachines", "provision-ca",
                "provision-claude", "provision-gateway", "provision-git", "provision-supervise");
        assertThat(rows.get(0).get("kind").asText()).as("the Docker backend reads the warm key").isEqualTo(
                "backend,manifest-section");
        assertThat(rows.get(3).get("kind").asText()).isEqualTo("provisioner");
    }

    @Test
    void droppedInExampleIsMarkedAndItsStepsAppearInThePlan() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("dropins"));
        Files.copy(CliHarness.examplePluginJar(), plugins.resolve("hello-provisioner.jar"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        CliHarness cli = cli().env("CLAUDE_BOTTLE_PLUGINS_DIR", plugins.toString());

        var listed = cli.run("plugins", "--json");
        assertThat(listed.exitCode()).isZero();
        JsonNode rows = JSON.readTree(listed.out());
        JsonNode hello = null;
        JsonNode broken = null;
        for (JsonNode row : rows) {
            if ("hello-provisioner".equals(row.path("id").asText())) {
                hello = row;
            }
            if (row.get("path").asText().endsWith("broken.jar")) {
                broken = row;
            }
        }
        assertThat(hello).isNotNull();
        assertThat(hello.get("source").asText()).isEqualTo("dropped-in");
        assertThat(hello.get("kind").asText()).isEqualTo("provisioner,manifest-section,command");
        assertThat(broken).isNotNull();
        assertThat(broken.get("state").asText()).isEqualTo("skipped");
        assertThat(listed.err()).contains("broken.jar").contains("was skipped");

        var text = cli.run("plugins");
        assertThat(text.out()).containsPattern("hello-provisioner\\s+\\S+\\s+provisioner,manifest-section,command\\s+dropped-in");

        var plan = cli.run("plan", "claude", "--json");
        assertThat(plan.exitCode()).isZero();
        JsonNode root = JSON.readTree(plan.out());
        List<String> steps = ids(root.get("steps"));
        assertThat(steps).contains("hello.greet");
        assertThat(steps.indexOf("home")).isLessThan(steps.indexOf("hello.greet"));
        assertThat(root.get("guest_env").toString()).contains("HELLO_FROM");
    }

    @Test
    void planJsonShowsTheOrderedLaunchAndNeverTheKey() throws IOException {
        var r = cli().env("ANTHROPIC_API_KEY", KEY).run("plan", "claude", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.all()).doesNotContain(KEY).doesNotContain("THIS-MUST-NOT-LEAK");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("agent").asText()).isEqualTo("claude");
        assertThat(root.get("backend").asText()).isEqualTo("docker");
        assertThat(root.get("slug").asText()).matches("claude-[0-9a-f]{4}");
        assertThat(root.get("manifest").asText()).isEqualTo("<embedded default>");
        List<String> steps = ids(root.get("steps"));
        assertThat(steps).containsSubsequence("ca.mint", "docker.network", "docker.bundle", "docker.guest", "home",
                "ca.trust", "agent.claude-config");
        assertThat(steps).containsSubsequence("gateway.policy", "docker.network");
        assertThat(steps).as("the fence's probes run last").endsWith("gateway.refuses-unknown", "gateway.ca-trusted",
                "gateway.runtimes-trust", "gateway.tripwire", "gateway.no-real-values", "docker.no-route",
                "docker.no-dns", "docker.fence-intact");
        for (JsonNode step : root.get("steps")) {
            assertThat(step.get("phase").asText()).isIn("PREPARE", "LAUNCH", "SYSTEM", "PROVISION", "FINISH",
                    "VERIFY");
            assertThat(step.get("plugin").asText()).isNotBlank();
            assertThat(step.get("summary").asText()).isNotBlank();
        }
        assertThat(root.get("routes")).hasSize(1);
        assertThat(root.get("routes").get(0).get("variables").get(0).asText()).isEqualTo("ANTHROPIC_API_KEY");
        JsonNode secret = null;
        for (JsonNode e : root.get("bundle_env")) {
            if (e.get("secret").asBoolean()) {
                secret = e;
            }
        }
        assertThat(secret).isNotNull();
        assertThat(secret.get("value").asText()).isEqualTo("***");
        assertThat(root.get("guest_env").toString()).contains("bottle-placeholder");
        assertThat(root.get("daemons").get(0).get("name").asText()).isEqualTo("gateway");

        var text = cli().env("ANTHROPIC_API_KEY", KEY).run("plan", "claude", "--debug");
        assertThat(text.exitCode()).isZero();
        assertThat(text.all()).doesNotContain(KEY).contains("CLAUDE_BOTTLE_ROUTE_0=***");
    }

    @Test
    void planShowsWhatTheGuestMayTakeOfTheHostAsTheBottleSaysOrByDefault() throws IOException {
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  tight:
                    limits: {memory: 512m, cpus: 1.5, pids: 128}
                  plain: {}
                agents:
                  coder: {bottle: tight}
                  other: {bottle: plain}
                """);
        var tight = cli().run("plan", "coder", "--json");
        assertThat(tight.exitCode()).as(tight.err()).isZero();
        JsonNode limits = JSON.readTree(tight.out()).get("limits");
        assertThat(limits.get("memory").asText()).isEqualTo("512m");
        assertThat(limits.get("memory_bytes").asLong()).isEqualTo(512L << 20);
        assertThat(limits.get("swap_bytes").asLong()).isZero();
        assertThat(limits.get("pids").asInt()).isEqualTo(128);
        assertThat(limits.get("cpus").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(JSON.readTree(tight.out()).get("steps").toString())
                .contains("limited to memory 512m (no swap), 128 processes and threads, 1.5 cores");

        var plain = cli().run("plan", "other", "--json");
        JsonNode defaults = JSON.readTree(plain.out()).get("limits");
        assertThat(defaults.get("memory").asText()).isEqualTo("4g");
        assertThat(defaults.get("pids").asInt()).isEqualTo(2048);
        assertThat(defaults.get("cpus").isNull()).as("all of the host's cores but one, counted at launch").isTrue();

        var text = cli().run("plan", "coder");
        assertThat(text.out()).contains("Limits of the guest:")
                .contains("memory 512m (no swap), 128 processes and threads, 1.5 cores");
        assertThat(cli().run("plan", "other").out())
                .contains("memory 4g (no swap), 2048 processes and threads, all of the host's cores but one");
    }

    @Test
    void withoutAKeyInTheEnvTheHostsClaudeSignInIsTheRouteAndPlanNamesItNeverItsToken() throws IOException {
        String access = "sk-ant-oat01-host-access-token-must-not-show";
        Path signedIn = work.resolve("signed-in-home");
        Files.createDirectories(signedIn.resolve(".claude"));
        Files.writeString(signedIn.resolve(".claude/.credentials.json"), "{\"claudeAiOauth\":{\"accessToken\":\""
                + access + "\",\"refreshToken\":\"sk-ant-ort01-refresh\",\"expiresAt\":"
                + java.time.Instant.now().plusSeconds(3600).toEpochMilli() + "}}");

        var r = cli().env("HOME", signedIn.toString()).run("plan", "claude", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.all()).doesNotContain(access).doesNotContain("sk-ant-ort01-refresh");
        JsonNode routes = JSON.readTree(r.out()).get("routes");
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).get("login").asText()).isEqualTo("claude");
        assertThat(routes.get(0).get("header").asText()).isEqualTo("authorization");
        var text = cli().env("HOME", signedIn.toString()).run("plan", "claude");
        assertThat(text.out()).contains("api.anthropic.com  authorization from the host's Claude sign-in")
                .doesNotContain(access);
    }

    @Test
    void aBottleYamlFoundInTheWorkingDirectoryCannotSendTheSignInThroughItsOwnProxy() throws IOException {
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  web:
                    egress:
                      routes:
                        - {host: api.anthropic.com, header: authorization, login: claude, optional: true}
                      upstream_proxy: http://proxy.evil.test:3128
                agents:
                  a: {bottle: web}
                """);

        var found = cli().run("plan", "a");
        assertThat(found.exitCode()).isEqualTo(2);
        assertThat(found.err()).contains("found in the working directory, sends the host's Claude sign-in")
                .contains("upstream_proxy http://proxy.evil.test:3128");
        assertThat(cli().run("plan", "a", "-f", "bottle.yaml").exitCode()).as("named by the person").isZero();
    }

    @Test
    void aBudgetIsShownInThePlanAndAWrongOneIsAnErrorAtItsLine() throws IOException {
        String manifest = """
                version: 1
                bottles:
                  web:
                    budget: {tokens: 2000000, usd: 5.00, warn_at: 80%%, prices: [{model: claude-x, input: 3, output: 15}]}
                    egress:
                      allow: [{host: upstream.test}]
                agents:
                  a: {bottle: web}
                """;
        Files.writeString(work.resolve("bottle.yaml"), manifest.formatted());

        var planned = cli().run("plan", "a");
        assertThat(planned.exitCode()).as(planned.all()).isZero();
        assertThat(planned.out()).contains("budget (2,000,000 tokens, $5.00, warn at 80%, 1 price of its own)");

        for (String[] bad : List.of(new String[] {"warn_at: 80%", "warn_at: 180%"},
                new String[] {"tokens: 2000000", "tokens: 2.5"}, new String[] {"usd: 5.00", "usd: -1"},
                new String[] {"tokens: 2000000, usd: 5.00, ", ""})) {
            Files.writeString(work.resolve("bottle.yaml"), manifest.formatted().replace(bad[0], bad[1]));
            var r = cli().run("plan", "a");
            assertThat(r.exitCode()).as(bad[1]).isEqualTo(2);
            assertThat(r.err()).as(bad[1]).contains("bottle.yaml:4:").contains("budget");
        }
    }

    @Test
    void oauthTokenAloneSelectsTheBearerRoute() throws IOException {
        var r = cli().env("CLAUDE_CODE_OAUTH_TOKEN", KEY).run("plan", "claude", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.all()).doesNotContain(KEY);
        JsonNode routes = JSON.readTree(r.out()).get("routes");
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).get("header").asText()).isEqualTo("authorization");
    }

    @Test
    void gitAndSuperviseProvisioningRunAfterHomeOwnershipAndCaTrust() throws IOException {
        Files.writeString(work.resolve("id_ed25519"), "not a real key");
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  web:
                    egress:
                      allow: [{host: upstream.test}]
                    git:
                      - name: app
                        upstream: git@upstream.test:acme/app.git
                        identity_file: id_ed25519
                        push: ["agent/*"]
                        protect: [main]
                    supervise: {timeout: 5m}
                agents:
                  coder: {bottle: web}
                """);
        var r = cli().run("plan", "coder", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        List<String> steps = ids(root.get("steps"));
        assertThat(steps).contains("home", "ca.trust", "git.gitconfig", "supervise.register");
        for (String before : List.of("home", "ca.trust")) {
            for (String after : List.of("git.gitconfig", "supervise.register")) {
                assertThat(steps.indexOf(before)).as(before + " before " + after).isLessThan(steps.indexOf(after));
            }
        }
        assertThat(root.get("daemons").toString()).contains("git-gate").contains("supervise");
        assertThat(root.get("guest_env").toString()).contains("GIT_GATE_URL").contains("git://{endpoint:git-gate}")
                .contains("MCP_SUPERVISE_URL");
        assertThat(root.get("bundle_mounts").toString()).contains("/etc/claude-bottle/git/app/id");
        assertThat(root.get("guest_env").toString()).doesNotContain("id_ed25519");
    }

    @Test
    void cwdWithARepositoryAddsTheWorkspaceCopy() throws IOException {
        Files.createDirectories(work.resolve(".git"));
        var r = cli().run("plan", "claude", "--cwd", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(ids(root.get("steps"))).containsSubsequence("git.gitconfig", "git.workspace");
        assertThat(root.get("cwd").asText()).isEqualTo(work.toString());
    }

    @Test
    void unknownAgentExits2ListingTheAgents() {
        var r = cli().run("plan", "nobody");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("unknown agent 'nobody'").contains("agents defined there: claude");
    }

    @Test
    void unknownBackendExits2ListingTheLoadedBackends() {
        var r = cli().run("plan", "claude", "--backend", "qemu");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("unknown backend 'qemu'").contains("docker, kubernetes, smolmachines");
        var fromEnv = cli().env("CLAUDE_BOTTLE_BACKEND", "lxc").run("plan", "claude");
        assertThat(fromEnv.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(fromEnv.err()).contains("unknown backend 'lxc'");
    }

    @Test
    void aPlanOnKubernetesShowsTheObjectsItWouldCreateWithEverySecretValueElided() throws IOException {
        String key = "sk-ant-api03-PLANNED-VALUE-0042";
        var r = cli().env("ANTHROPIC_API_KEY", key).run("plan", "claude", "--backend", "kubernetes", "--json");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("backend").asText()).isEqualTo("kubernetes");
        assertThat(ids(root.get("steps"))).contains("kubernetes.bundle", "kubernetes.guest", "kubernetes.no-route");
        assertThat(root.get("objects").asText()).contains("kind: \"Secret\"", "kind: \"NetworkPolicy\"",
                "kind: \"Pod\"", "<elided>", "automountServiceAccountToken: false");
        assertThat(r.out()).doesNotContain(key);

        var text = cli().env("ANTHROPIC_API_KEY", key).run("plan", "claude", "--backend", "kubernetes");
        assertThat(text.out()).contains("Objects the backend would create").doesNotContain(key);
        assertThat(cli().run("plan", "claude", "--json").out()).as("docker creates no objects of its own to show")
                .doesNotContain("\"objects\"");
    }

    @Test
    void backendComesFromTheEnvironmentUnlessTheFlagSaysOtherwise() throws IOException {
        var env = cli().env("CLAUDE_BOTTLE_BACKEND", "smolmachines").run("plan", "claude", "--json");
        assertThat(env.exitCode()).isZero();
        JsonNode root = JSON.readTree(env.out());
        assertThat(root.get("backend").asText()).isEqualTo("smolmachines");
        assertThat(ids(root.get("steps"))).contains("smolvm.create");
        assertThat(root.toString()).containsPattern("--allow-cidr 127\\.\\d+\\.\\d+\\.\\d+/32");
        var flag = cli().env("CLAUDE_BOTTLE_BACKEND", "smolmachines").run("plan", "claude", "--backend", "docker",
                "--json");
        assertThat(JSON.readTree(flag.out()).get("backend").asText()).isEqualTo("docker");
    }

    @Test
    void aDroppedInPluginsManifestSectionIsReadAndCheckedOnlyWithThePlugin() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("dropins"));
        Files.copy(CliHarness.examplePluginJar(), plugins.resolve("hello-provisioner.jar"));
        String manifest = """
                version: 1
                bottles:
                  web:
                    hello: {greeting: "Good morning"}
                agents:
                  coder: {bottle: web}
                """;
        Files.writeString(work.resolve("bottle.yaml"), manifest);

        var without = cli().run("plan", "coder");
        assertThat(without.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(without.err()).contains("bottle.yaml:4:5: unknown key 'hello' in bottles.web");

        CliHarness cli = cli().env("CLAUDE_BOTTLE_PLUGINS_DIR", plugins.toString());
        var plan = cli.run("plan", "coder", "--json");
        assertThat(plan.exitCode()).isZero();
        assertThat(ids(JSON.readTree(plan.out()).get("steps"))).contains("hello.greet");

        Files.writeString(work.resolve("bottle.yaml"), manifest.replace("greeting:", "greet:"));
        var bad = cli.run("plan", "coder");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err()).contains("bottle.yaml:4:13: unknown key 'greet' in bottles.web.hello; expected one of: "
                + "greeting").contains("bottle.yaml:4:12: bottles.web.hello: missing required key 'greeting'");
    }

    @Test
    void aDroppedInPluginsCommandIsListedParsedAndMappedToExitCodesOnlyWithThePlugin() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("dropins"));
        Files.copy(CliHarness.examplePluginJar(), plugins.resolve("hello-provisioner.jar"));

        var without = cli().run("hello");
        assertThat(without.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(without.err()).contains("Unmatched argument");
        assertThat(cli().run("--help").out()).doesNotContain("hello");

        CliHarness cli = cli().env("CLAUDE_BOTTLE_PLUGINS_DIR", plugins.toString());
        assertThat(cli.run("--help").out()).containsPattern("\\n\\s+hello\\s+Greet someone from a dropped-in plugin");
        var greeted = cli.run("hello", "Ada", "--shout");
        assertThat(greeted.exitCode()).as(greeted.err()).isZero();
        assertThat(greeted.out()).startsWith("HELLO, ADA, FROM A DROPPED-IN PLUGIN (STATE IN ");
        var json = cli.run("hello", "--json");
        assertThat(JSON.readTree(json.out()).get("greeting").asText()).startsWith("Hello, bottle,");
        var help = cli.run("hello", "--help");
        assertThat(help.out()).startsWith("Usage: bottle hello").contains("[NAME]").contains("--shout")
                .contains("Greet in capitals.");
        var bad = cli.run("hello", "R2-D2");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err()).contains("error: 'R2-D2' is not a name").contains("hint: give letters only");
        var unknownOption = cli.run("hello", "--loud");
        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknownOption.err()).contains("Unknown option: '--loud'").contains("bottle hello --help");
    }

    @Test
    void aRouteWhoseVariableIsMissingExits2NamingTheRoute() throws IOException {
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  web:
                    egress:
                      routes:
                        - host: api.upstream.test
                          header: authorization
                          value: "Bearer ${UPSTREAM_TOKEN}"
                agents:
                  coder: {bottle: web}
                """);
        var r = cli().run("plan", "coder");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("route api.upstream.test (authorization) at " + work.resolve("bottle.yaml")
                + ":6:11").contains("UPSTREAM_TOKEN");
    }

    @Test
    void missingManifestFileExits2() {
        var r = cli().run("plan", "claude", "-f", "nope.yaml");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("manifest nope.yaml does not exist").contains("hint:");
    }

    @Test
    void doctorJsonReportsEverySectionAndItsExitCodeFollowsReadiness() throws IOException {
        var r = cli().run("doctor", "--json");
        JsonNode root = JSON.readTree(r.out());
        boolean ready = root.get("ready").asBoolean();
        assertThat(r.exitCode()).isEqualTo(ready ? ExitCodes.OK : ExitCodes.ENVIRONMENT);
        assertThat(root.get("backend").asText()).isEqualTo("docker");
        List<String> names = new ArrayList<>();
        root.get("sections").forEach(s -> {
            names.add(s.get("name").asText());
            s.get("checks").forEach(c -> {
                assertThat(c.get("status").asText()).isIn("ok", "warn", "fail");
                assertThat(c.get("name").asText()).isNotBlank();
                assertThat(c.has("detail")).isTrue();
            });
        });
        assertThat(names).containsExactly("kernel", "backend docker", "backend kubernetes", "backend smolmachines");
        assertThat(root.get("sections").get(1).get("selected").asBoolean()).isTrue();
        assertThat(root.get("sections").get(2).get("selected").asBoolean()).isFalse();
        // no kubeconfig here: the kubernetes backend says so without asking any cluster
        assertThat(root.get("sections").get(2).get("checks").get(0).get("detail").asText()).contains("no kubeconfig");
    }

    @Test
    void doctorWithoutAReachableEngineExits3() throws IOException {
        var r = cli().env("DOCKER_HOST", "unix://" + temp.resolve("no-docker.sock")).run("doctor", "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ENVIRONMENT);
        JsonNode docker = JSON.readTree(r.out()).get("sections").get(1);
        assertThat(docker.get("checks").get(0).get("status").asText()).isEqualTo("fail");
        assertThat(docker.get("checks").get(0).get("hint").asText()).isNotBlank();
    }
}
