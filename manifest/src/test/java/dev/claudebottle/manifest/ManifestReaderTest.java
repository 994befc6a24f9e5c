package dev.claudebottle.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.AlertAction;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.GuestLimits;
import dev.claudebottle.spi.manifest.Manifest;
import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import dev.claudebottle.spi.manifest.Login;
import dev.claudebottle.spi.manifest.RouteDef;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    @TempDir
    Path dir;

    /** What a plugin's section reads into, in these tests. */
    record Review(Duration within, List<String> reviewers) {
    }

    /** A plugin's section, as a third party would write one. */
    static final class ReviewSection implements ManifestSection<Review> {
        private final String key;

        ReviewSection(String key) {
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public Class<Review> type() {
            return Review.class;
        }

        @Override
        public Optional<Review> read(SectionNode node) {
            return node.fields("wait", "reviewers").flatMap(f -> {
                Optional<Duration> wait = f.require("wait").flatMap(SectionNode::duration);
                List<String> reviewers = f.get("reviewers").map(n -> n.list().stream()
                        .flatMap(r -> r.string().stream()).toList()).orElse(List.of());
                return wait.map(w -> new Review(w, reviewers));
            });
        }
    }

    private Manifest read(String yaml) {
        return new ManifestReader(dir.resolve("host-cas"), List.of(new ReviewSection("review")))
                .read("bottle.yaml", dir, yaml);
    }

    @Test
    void aPluginSectionsProblemsAreReportedAtTheirPlaceWithTheKernelsOwn() {
        assertThatThrownBy(() -> read("""
                version: 1
                bottles:
                  b:
                    review: {wait: soon, reviewers: [ana, 7], by: bo}
                    supervise: {}
                agents:
                  a: {bottle: b}
                """))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.getMessage())
                        .contains("bottle.yaml:4:47: unknown key 'by' in bottles.b.review; expected one of: wait, "
                                + "reviewers")
                        .contains("bottle.yaml:4:20: bottles.b.review.wait: expected a positive duration")
                        .contains("bottle.yaml:4:43: bottles.b.review.reviewers entry: expected a non-empty string")
                        .contains("bottle.yaml:5:5: unknown key 'supervise' in bottles.b; expected one of: env, "
                                + "egress, limits, review"));
    }

    @Test
    void aSectionCannotTakeAKeyTheKernelOrAnotherSectionReads() {
        assertThatThrownBy(() -> new ManifestReader(dir, List.of(new ReviewSection("egress"))))
                .isInstanceOf(BottleException.class).hasMessageContaining("the manifest section 'egress' of "
                        + ReviewSection.class.getName() + " is already read by the kernel");
        assertThatThrownBy(() -> new ManifestReader(dir, List.of(new ReviewSection("review"),
                new ReviewSection("review")))).isInstanceOf(BottleException.class)
                .hasMessageContaining("is already read by " + ReviewSection.class.getName());
    }

    @Test
    void readsTheDesignExampleWithEverySection() throws IOException {
        Files.createDirectories(dir.resolve("agents"));
        Files.writeString(dir.resolve("agents/coder.md"), "You review code.");
        Files.createDirectories(dir.resolve("skills/review"));
        Files.createDirectories(dir.resolve("certs"));
        Files.copy(getClass().getResourceAsStream("test-ca.pem"), dir.resolve("certs/corp-ca.pem"));
        Files.writeString(dir.resolve("id_ed25519"), "key");
        Manifest m = read("""
                version: 1
                bottles:
                  web:
                    env: {NODE_ENV: development, WORKERS: 4}
                    egress:
                      allow:
                        - host: github.com
                        - host: "*.githubusercontent.com"
                        - host: api.github.com
                          methods: [GET, HEAD]
                          paths: ["/repos/acme/"]
                          ports: [443]
                        - host: upstream.test
                          private: true
                      routes:
                        - host: api.anthropic.com
                          paths: ["/v1/"]
                          header: x-api-key
                          value: "${ANTHROPIC_API_KEY}"
                          placeholder: {env: ANTHROPIC_API_KEY, value: bottle-placeholder}
                      dlp: {action: warn, patterns: [{name: corp-token, regex: "corp_[a-z0-9]{20}"}]}
                      upstream_proxy: http://proxy.corp:3128
                      upstream_ca: certs/corp-ca.pem
                    review: {wait: 1h30m, reviewers: [ana, bo]}
                agents:
                  coder:
                    bottle: web
                    prompt_file: agents/coder.md
                    skills: [skills/review]
                    command: [claude, --dangerously-skip-permissions]
                """);
        BottleDef web = m.bottles().get("web");
        assertThat(web.env()).containsEntry("NODE_ENV", "development").containsEntry("WORKERS", "4");
        assertThat(web.egress().allow()).hasSize(4);
        assertThat(web.egress().allow().get(1).host().wildcard()).isTrue();
        assertThat(web.egress().allow().get(2).intercepts()).isTrue();
        assertThat(web.egress().allow().get(2).ports()).containsExactly(443);
        assertThat(web.egress().allow().get(3).allowPrivate()).isTrue();
        assertThat(web.egress().routes()).singleElement().satisfies(r -> {
            assertThat(r.header()).isEqualTo("x-api-key");
            assertThat(r.valueTemplate()).isEqualTo("${ANTHROPIC_API_KEY}");
            assertThat(r.placeholder()).hasValueSatisfying(p -> assertThat(p.env()).isEqualTo("ANTHROPIC_API_KEY"));
            assertThat(r.location().line()).isEqualTo(16);
        });
        assertThat(web.egress().dlp().action()).isEqualTo(DlpAction.WARN);
        assertThat(web.egress().upstreamProxy()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(3128));
        assertThat(web.egress().upstreamCa()).containsExactly(dir.resolve("certs/corp-ca.pem"));
        assertThat(web.section("review", Review.class)).contains(new Review(Duration.ofMinutes(90), List.of("ana", "bo")));
        AgentDef coder = m.agents().get("coder");
        assertThat(coder.promptFile()).contains(dir.resolve("agents/coder.md"));
        assertThat(coder.skills()).containsExactly(dir.resolve("skills/review"));
    }

    @Test
    void defaultsApplyWhenSectionsAreLeftOut() {
        Manifest m = read("""
                version: 1
                bottles:
                  plain: {}
                agents:
                  a: {bottle: plain}
                """);
        assertThat(m.bottles().get("plain").egress().allow()).isEmpty();
        assertThat(m.bottles().get("plain").egress().onAlert()).isEqualTo(AlertAction.LOG);
        assertThat(m.bottles().get("plain").section("review", Review.class)).isEmpty();
        assertThat(m.agents().get("a").command()).isEqualTo(AgentDef.DEFAULT_COMMAND);
    }

    @Test
    void aBottleSetsItsGuestsLimitsAndEveryOneItLeavesOutKeepsItsDefault() {
        String manifest = """
                version: 1
                bottles:
                  web:
                    limits: {%s}
                agents:
                  a: {bottle: web}
                """;
        GuestLimits all = read(manifest.formatted("memory: 6g, cpus: 1.5, pids: 512")).bottles().get("web").limits();
        assertThat(all).isEqualTo(new GuestLimits(6L << 30, 512, Optional.of(new BigDecimal("1.5"))));
        GuestLimits some = read(manifest.formatted("memory: 1536M")).bottles().get("web").limits();
        assertThat(some.memoryBytes()).isEqualTo(1536L << 20);
        assertThat(some.memory()).isEqualTo("1536m");
        assertThat(some.pids()).isEqualTo(GuestLimits.DEFAULT.pids());
        assertThat(some.cpus()).isEmpty();
        assertThat(read(manifest.formatted("memory: 2gb, cpus: 2.0")).bottles().get("web").limits())
                .isEqualTo(new GuestLimits(2L << 30, 2048, Optional.of(new BigDecimal(2))));
        assertThat(read(manifest.formatted("")).bottles().get("web").limits()).isEqualTo(GuestLimits.DEFAULT);
        assertThat(read(manifest.formatted("cpus: 64")).bottles().get("web").limits().cpus())
                .as("more cores than this host has: the backend gives the host's").contains(new BigDecimal(64));
    }

    @Test
    void aBottleWithoutLimitsGets4gNoSwap2048ProcessesAndAllCoresButOne() {
        GuestLimits limits = read("""
                version: 1
                bottles:
                  plain: {}
                agents:
                  a: {bottle: plain}
                """).bottles().get("plain").limits();
        assertThat(limits).isEqualTo(GuestLimits.DEFAULT);
        assertThat(limits.memory()).isEqualTo("4g");
        assertThat(limits.pids()).isEqualTo(2048);
        assertThat(limits.cpusOn(8)).isEqualByComparingTo("7");
        assertThat(limits.cpusOn(1)).isEqualByComparingTo("1");
        assertThat(new GuestLimits(4L << 30, 2048, Optional.of(new BigDecimal(6))).cpusOn(2)).isEqualByComparingTo("2");
    }

    @Test
    void everyBadLimitIsNamedAtItsPlaceWithWhatWasExpected() {
        String manifest = """
                version: 1
                bottles:
                  web:
                    limits: {%s}
                agents:
                  a: {bottle: web}
                """;
        assertThatThrownBy(() -> read(manifest.formatted("memory: 4096"))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("bottle.yaml:4:22: bottles.web.limits.memory: expected a size like 512m or 4g")
                .hasMessageContaining("found a number '4096'");
        assertThat(problem(manifest.formatted("memory: 4x"))).contains("bottle.yaml:4:22: bottles.web.limits.memory: "
                + "expected a size like 512m or 4g").contains("found a string '4x'");
        assertThat(problem(manifest.formatted("memory: -1g"))).contains("expected a size like 512m or 4g");
        assertThat(problem(manifest.formatted("memory: 1.5g"))).contains("expected a size like 512m or 4g");
        assertThat(problem(manifest.formatted("memory: 0g"))).contains("bottles.web.limits.memory: expected at least "
                + "64m (the agent does not start in less), found '0g'");
        assertThat(problem(manifest.formatted("memory: 32m"))).contains("expected at least 64m");
        assertThat(problem(manifest.formatted("memory: 99999999999t")))
                .contains("expected a size a host can have, found '99999999999t'");
        assertThat(problem(manifest.formatted("memory: 99999999999999999999g")))
                .contains("expected a size a host can have");
        assertThat(problem(manifest.formatted("pids: 0"))).contains("bottle.yaml:4:20: bottles.web.limits.pids: "
                + "expected a whole number from 32 to 4194304, found a number '0'");
        assertThat(problem(manifest.formatted("pids: -5"))).contains("expected a whole number from 32 to 4194304");
        assertThat(problem(manifest.formatted("pids: 8"))).contains("expected a whole number from 32 to 4194304");
        assertThat(problem(manifest.formatted("pids: many"))).contains("found a string 'many'");
        assertThat(problem(manifest.formatted("pids: 1.5"))).contains("expected a whole number from 32");
        assertThat(problem(manifest.formatted("cpus: 0"))).contains("bottle.yaml:4:20: bottles.web.limits.cpus: "
                + "expected a number of cores from 0.01 to 1024 like 2 or 1.5, found a number '0'");
        assertThat(problem(manifest.formatted("cpus: -1"))).contains("expected a number of cores from 0.01 to 1024");
        assertThat(problem(manifest.formatted("cpus: 0.001"))).contains("expected a number of cores from 0.01");
        assertThat(problem(manifest.formatted("cpus: 2000"))).contains("expected a number of cores from 0.01");
        assertThat(problem(manifest.formatted("cpus: two"))).contains("found a string 'two'");
        assertThat(problem(manifest.formatted("cpus: .inf"))).contains("expected a number of cores from 0.01");
        assertThat(problem(manifest.formatted("swap: 1g"))).contains("bottle.yaml:4:14: unknown key 'swap' in "
                + "bottles.web.limits; expected one of: memory, cpus, pids");
        assertThat(problem("""
                version: 1
                bottles:
                  web: {limits: 4g}
                agents:
                  a: {bottle: web}
                """)).contains("bottle.yaml:3:17: bottles.web.limits: expected a mapping, found a string");
    }

    private String problem(String manifest) {
        try {
            read(manifest);
        } catch (ManifestException e) {
            return e.getMessage();
        }
        throw new AssertionError("the manifest loaded: " + manifest);
    }

    @Test
    void onAlertIsLogOrStop() {
        String manifest = """
                version: 1
                bottles:
                  web:
                    egress: {on_alert: %s}
                agents:
                  a: {bottle: web}
                """;
        assertThat(read(manifest.formatted("stop")).bottles().get("web").egress().onAlert()).isEqualTo(AlertAction.STOP);
        assertThat(read(manifest.formatted("log")).bottles().get("web").egress().onAlert()).isEqualTo(AlertAction.LOG);
        assertThatThrownBy(() -> read(manifest.formatted("halt"))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("bottle.yaml:4:24: bottles.web.egress.on_alert: expected log or stop, found 'halt'");
    }

    @Test
    void unknownHostsAreDeniedUnlessTheBottleAsksAndTheAskWaitsAMinuteUnlessToldOtherwise() {
        String manifest = """
                version: 1
                bottles:
                  web:
                    egress: {%s}
                agents:
                  a: {bottle: web}
                """;
        var plain = read(manifest.formatted("")).bottles().get("web").egress();
        assertThat(plain.unknown()).isEqualTo(UnknownAction.DENY);
        assertThat(plain.askTimeout()).isEqualTo(java.time.Duration.ofMinutes(1));
        var asking = read(manifest.formatted("unknown: ask, ask_timeout: 90s")).bottles().get("web").egress();
        assertThat(asking.unknown()).isEqualTo(UnknownAction.ASK);
        assertThat(asking.askTimeout()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThatThrownBy(() -> read(manifest.formatted("unknown: allow, ask_timeout: soon")))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("bottle.yaml:4:23: bottles.web.egress.unknown: expected deny or ask, found 'allow'")
                .hasMessageContaining("bottle.yaml:4:43: bottles.web.egress.ask_timeout: expected a positive duration");
        assertThatThrownBy(() -> read(manifest.formatted("unknown: ask, ask_timeout: 5m")))
                .hasMessageContaining("bottles.web.egress.ask_timeout: expected at most 4m, found 300s");
    }

    @Test
    void aRouteTakesItsCredentialFromTheHostsClaudeSignInInsteadOfAValue() {
        String manifest = """
                version: 1
                bottles:
                  web:
                    egress:
                      routes:
                        - {host: api.anthropic.com, header: %s, %s}
                agents:
                  a: {bottle: web}
                """;
        RouteDef signIn = read(manifest.formatted("authorization", "login: claude")).bottles().get("web").egress()
                .routes().get(0);
        assertThat(signIn.login()).contains(Login.CLAUDE);
        assertThat(signIn.valueTemplate()).isEmpty();
        assertThat(signIn.paths()).as("the Messages API and the settings Claude Code reads, not the account's")
                .containsExactly("/v1/messages", "/api/claude_code/settings", "/api/claude_code/policy_limits");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: claude, paths: [/api/oauth/]")))
                .hasMessageContaining("routes entry.paths: expected paths under /v1/messages, /api/claude_code/settings, "
                        + "/api/claude_code/policy_limits, where a Claude sign-in is sent, found [/api/oauth/]");
        for (String elsewhere : List.of("/v1/sessions", "/v1/", "/api/claude_code/settings_x", "/v1/messages/../sessions")) {
            assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: claude, paths: ['" + elsewhere
                    + "']"))).as(elsewhere).hasMessageContaining("routes entry.paths: expected paths under");
        }
        assertThat(read(manifest.formatted("authorization", "login: claude, paths: [/v1/messages/count_tokens]"))
                .bottles().get("web").egress().routes().get(0).paths()).containsExactly("/v1/messages/count_tokens");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: github")))
                .hasMessageContaining("bottle.yaml:6:67: bottles.web.egress.routes entry.login: expected claude (the "
                        + "host's Claude Code sign-in), found 'github'");
        assertThatThrownBy(() -> read(manifest.formatted("x-api-key", "login: claude")))
                .hasMessageContaining("bottle.yaml:6:").hasMessageContaining("bottles.web.egress.routes entry.header: expected "
                        + "authorization, where a sign-in's access token goes, found 'x-api-key'");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: claude, value: x")))
                .hasMessageContaining("bottles.web.egress.routes entry.value: expected a value or a login, not both");
        assertThatThrownBy(() -> read(manifest.formatted("authorization",
                "login: claude, placeholder: {env: CLAUDE_CODE_OAUTH_TOKEN, value: p}")))
                .hasMessageContaining("routes entry.placeholder: a sign-in route's guest holds a sentinel sign-in");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: claude, plain_http: true")))
                .hasMessageContaining("routes entry.plain_http: a sign-in's access token never goes over plain HTTP");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: claude").replace(
                "host: api.anthropic.com", "host: api.anthropic.com.evil.test")))
                .hasMessageContaining("routes entry.host: expected api.anthropic.com, the only host a Claude sign-in "
                        + "is for, found 'api.anthropic.com.evil.test'");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "login: claude").replace(
                "host: api.anthropic.com", "host: \"*.anthropic.com\"")))
                .hasMessageContaining("found '*.anthropic.com'");
        assertThatThrownBy(() -> read(manifest.formatted("authorization", "optional: true")))
                .hasMessageContaining("missing required key 'value'");
    }

    @Test
    void noFileAManifestNamesMayBeOrHoldAClaudeCodeSignIn() throws IOException {
        Path copied = Files.createDirectories(dir.resolve("skills/home/.claude"));
        Files.writeString(copied.resolve(".credentials.json"), "{}");
        Files.writeString(dir.resolve("prompt.md"), "be careful");
        java.nio.file.Files.createSymbolicLink(dir.resolve("innocent.md"), copied.resolve(".credentials.json"));
        String manifest = """
                version: 1
                bottles:
                  web: {}
                agents:
                  a: {bottle: web, %s}
                """;
        assertThatThrownBy(() -> read(manifest.formatted("prompt_file: skills/home/.claude/.credentials.json")))
                .hasMessageContaining("expected a path that holds no Claude Code sign-in");
        assertThatThrownBy(() -> read(manifest.formatted("prompt_file: innocent.md"))).as("a link to it")
                .hasMessageContaining("holds " + copied.toRealPath().resolve(".credentials.json"));
        assertThatThrownBy(() -> read(manifest.formatted("skills: [skills/home]")))
                .hasMessageContaining("expected a path that holds no Claude Code sign-in");
        assertThat(read(manifest.formatted("prompt_file: prompt.md")).agents()).containsKey("a");
    }

    @Test
    void everyProblemOfAFileIsReportedTogetherInLineOrder() {
        assertThatThrownBy(() -> read("""
                version: 1
                bottles:
                  web:
                    egress:
                      allow:
                        - host: "*foo"
                        - hots: x.test
                agents:
                  a: {bottle: nope}
                """))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.problems()).extracting(p -> p.location().line()).isSorted();
                    assertThat(e.getMessage()).contains("4 problems")
                            .contains("bottle.yaml:6:")
                            .contains("unknown key 'hots'")
                            .contains("missing required key 'host'")
                            .contains("bottle.yaml:9:");
                });
    }

    @Test
    void theEmbeddedDefaultIsValid() {
        ManifestSource source = ManifestLocator.embedded(dir);
        Manifest m = new ManifestReader().read(source.name(), source.baseDir(), source.text());
        assertThat(m.agents()).containsKey("claude");
        assertThat(m.bottles().get("claude").egress().routes()).hasSize(3)
                .allSatisfy(r -> assertThat(r.optional()).isTrue())
                .extracting(r -> r.login().isPresent()).as("the host's sign-in last, after the env's credentials")
                .containsExactly(false, false, true);
    }

    @Test
    void locatorPrefersExplicitThenWorkingDirThenHomeThenEmbedded() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path home = Files.createDirectories(dir.resolve("home"));
        ManifestLocator locator = new ManifestLocator(work, home);
        assertThat(locator.locate(java.util.Optional.empty()).name()).isEqualTo(ManifestLocator.EMBEDDED);
        Files.writeString(home.resolve("bottle.yaml"), "home");
        assertThat(locator.locate(java.util.Optional.empty()).text()).isEqualTo("home");
        Files.writeString(work.resolve("bottle.yaml"), "work");
        assertThat(locator.locate(java.util.Optional.empty()).text()).isEqualTo("work");
        Files.writeString(work.resolve("other.yaml"), "explicit");
        assertThat(locator.locate(java.util.Optional.of(Path.of("other.yaml"))).text()).isEqualTo("explicit");
        assertThatThrownBy(() -> locator.locate(java.util.Optional.of(Path.of("missing.yaml"))))
                .isInstanceOf(dev.claudebottle.spi.BadInputException.class)
                .hasMessageContaining("missing.yaml does not exist");
    }

    private static String upstreamCa(String value) {
        return """
                version: 1
                bottles:
                  b:
                    egress:
                      allow: [{host: a.test}]
                """ + (value == null ? "" : "      upstream_ca: " + value + "\n") + """
                agents:
                  a: {bottle: b}
                """;
    }

    @Test
    void upstreamCaTakesOneFileOrAListAndDefaultsToTheHostsExtraCas() throws IOException {
        Path hostCas = Files.createDirectories(dir.resolve("host-cas"));
        Files.copy(getClass().getResourceAsStream("test-ca.pem"), hostCas.resolve("corp.crt"));
        Files.writeString(hostCas.resolve("readme.txt"), "not a certificate, and not a .crt");
        Files.writeString(hostCas.resolve("broken.crt"), "not a certificate");
        Files.copy(getClass().getResourceAsStream("test-ca.pem"), dir.resolve("a.pem"));
        Files.writeString(dir.resolve("b.pem"), "# a bundle may carry text between its certificates\n"
                + new String(getClass().getResourceAsStream("test-ca.pem").readAllBytes()) + "\n"
                + new String(getClass().getResourceAsStream("test-ca.pem").readAllBytes()));

        assertThat(read(upstreamCa(null)).bottles().get("b").egress().upstreamCa())
                .containsExactly(hostCas.resolve("corp.crt"));
        assertThat(read(upstreamCa("a.pem")).bottles().get("b").egress().upstreamCa())
                .containsExactly(dir.resolve("a.pem"));
        assertThat(read(upstreamCa("[a.pem, b.pem]")).bottles().get("b").egress().upstreamCa())
                .containsExactly(dir.resolve("a.pem"), dir.resolve("b.pem"));
        assertThat(read(upstreamCa("[]")).bottles().get("b").egress().upstreamCa()).isEmpty();
    }

    @Test
    void anUpstreamCaFileWithoutCertificatesOrWithSomethingElseIsAManifestError() throws IOException {
        Files.writeString(dir.resolve("empty.pem"), "");
        Files.writeString(dir.resolve("key.pem"), new String(getClass().getResourceAsStream("test-ca.pem")
                .readAllBytes()) + "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
                + "-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("garbled.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n"
                + "-----END CERTIFICATE-----\n");

        for (String file : List.of("empty.pem", "key.pem", "garbled.pem")) {
            assertThatThrownBy(() -> read(upstreamCa(file)))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.getMessage())
                            .contains("bottle.yaml:6:20")
                            .contains("upstream_ca: expected a PEM file of CA certificates")
                            .contains(file));
        }
    }

    @Test
    void presetsAddTheirRulesAfterTheBottlesOwnForPublicAddressesAndAnUnknownOneIsAnErrorAtItsPlace() {
        Manifest m = read("""
                version: 1
                bottles:
                  b:
                    egress:
                      allow:
                        - host: api.internal.test
                      presets: [npm, pypi]
                agents:
                  a: {bottle: b}
                """);
        var allow = m.bottles().get("b").egress().allow();
        assertThat(allow).extracting(r -> r.host().pattern()).containsExactly("api.internal.test",
                "registry.npmjs.org", "pypi.org", "files.pythonhosted.org");
        assertThat(allow.get(0).preset()).isEmpty();
        assertThat(allow.get(1).preset()).contains("npm");
        assertThat(allow.get(1).methods()).containsExactly("GET", "HEAD");
        assertThat(allow.get(1).publicOnly()).isTrue();
        assertThat(allow.get(1).location().toString()).isEqualTo("bottle.yaml:7:17");
        assertThat(allow.get(2).paths()).containsExactly("/simple/", "/pypi/");

        assertThatThrownBy(() -> read("""
                version: 1
                bottles:
                  b:
                    egress:
                      presets: [npm, pip]
                agents:
                  a: {bottle: b}
                """)).isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.getMessage())
                .contains("bottle.yaml:5:22: bottles.b.egress.presets entry: expected a preset (npm, npm-publish, "
                        + "pypi, maven-central, go-proxy, crates, debian, github), found 'pip'"));
    }
}
