package dev.claudebottle.provision.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.AlertAction;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.Placeholder;
import dev.claudebottle.spi.manifest.RouteDef;
import dev.claudebottle.spi.manifest.UnknownAction;
import dev.claudebottle.spi.testing.ProbeContext;
import dev.claudebottle.spi.testing.ScriptedGuest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's probes run where the agent cannot touch them and hold only on what they affirmatively saw. */
class GatewayProbesTest {
    private static final Location HERE = new Location("bottle.yaml", 3, 5);
    private static final String KEY = "sk-ant-api03-real-value-never-in-the-guest";
    @TempDir
    Path state;

    private LaunchSpec spec() {
        return spec(DlpDef.DEFAULT);
    }

    private LaunchSpec spec(DlpDef dlp) {
        RouteDef route = new RouteDef(new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of(),
                "x-api-key", "${KEY}", Optional.of(new Placeholder("ANTHROPIC_API_KEY", "bottle-placeholder")), true,
                false, false, HERE);
        List<CredentialRoute> routes = List.of(new CredentialRoute(route, Secret.of(KEY), "CLAUDE_BOTTLE_ROUTE_0"));
        EgressDef egress = new EgressDef(List.of(), routes.stream().map(CredentialRoute::route).toList(),
                dlp, Optional.empty(), List.of(), AlertAction.LOG, UnknownAction.DENY,
                EgressDef.DEFAULT_ASK_TIMEOUT);
        return new LaunchSpec("a-1234", new AgentDef("a", "b", Optional.empty(), Optional.empty(), List.of(),
                AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("b", Map.of(), egress, Map.of(), HERE), state, state,
                Optional.empty(), "docker", "/home/node", false, routes);
    }

    /** What a guest whose gateway answers as it should prints for each probe's command. */
    private static ExecResult fenced(ScriptedGuest.Exec e) {
        String all = String.join(" ", e.argv());
        if (all.contains("%{http_connect}")) {
            return new ExecResult(0, "403", "");
        }
        if (all.contains("TRACE")) {
            return new ExecResult(0, "405", "");
        }
        if (all.contains("tls.connect")) {
            return new ExecResult(0, "verified\n", "");
        }
        if (all.contains("ls-remote")) {
            return new ExecResult(0, "fatal: unable to access: The requested URL returned error: 403\n", "");
        }
        if (all.contains("CONNECT %s")) {
            return new ExecResult(0, "HTTP/1.1 403 Forbidden\r\n\r\nrefused (rule: tripwire)\n", "");
        }
        return new ExecResult(0, "", "");
    }

    private Map<String, Probe.Result> run(Function<ScriptedGuest.Exec, ExecResult> answer, ScriptedGuest[] seen) {
        return run(spec(), answer, seen);
    }

    private Map<String, Probe.Result> run(LaunchSpec spec, Function<ScriptedGuest.Exec, ExecResult> answer,
                                          ScriptedGuest[] seen) {
        ScriptedGuest guest = new ScriptedGuest(answer);
        seen[0] = guest;
        ProbeContext ctx = new ProbeContext(spec, guest);
        Map<String, Probe.Result> results = new java.util.LinkedHashMap<>();
        for (Step step : new GatewayProbes(spec).steps()) {
            try {
                step.action().run(ctx);
            } catch (Exception missed) {
                // the result says why
            }
            results.put(step.id(), ctx.result(Probe.key(step.id())));
        }
        return results;
    }

    @Test
    void aWarmBottlesWithheldValuesAreNotLookedForAndAClaimedOnesAre() {
        LaunchSpec claimed = spec();
        LaunchSpec warm = new LaunchSpec(claimed.slug(), claimed.agent(), claimed.bottle(), claimed.manifestDir(),
                claimed.stateDir(), claimed.cwd(), claimed.backend(), claimed.guestHome(), false,
                claimed.routes().stream().map(r -> new CredentialRoute(r.route(), Secret.of(""), r.bundleEnv()))
                        .toList());

        assertThat(new GatewayProbes(warm).steps()).extracting(Step::id).doesNotContain("gateway.no-real-values")
                .contains("gateway.refuses-unknown", "gateway.tripwire");
        assertThat(new GatewayProbes(claimed).steps()).extracting(Step::id).contains("gateway.no-real-values");
    }

    @Test
    void everyGatewayProbeRunsAsRootFromACleanEnvironmentAndCurlReadsNoConfig() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        run(GatewayProbesTest::fenced, guest);

        assertThat(guest[0].execs).isNotEmpty().allSatisfy(e -> {
            assertThat(e.user()).as("the agent can neither kill nor trace root's processes, nor nobody's")
                    .isEqualTo(String.join(" ", e.argv()).contains("find_one") ? RuntimeProbes.USER : Guest.ROOT);
            assertThat(String.join(" ", e.argv())).as("no env, rc file or config of the agent's")
                    .contains("env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent")
                    .contains("timeout -s KILL");
        });
        assertThat(guest[0].execs).filteredOn(e -> e.argv().contains("curl")).isNotEmpty().allSatisfy(e ->
                assertThat(e.argv().get(e.argv().indexOf("curl") + 1)).as("curl's -q, first: no .curlrc")
                        .isEqualTo("-q"));
    }

    @Test
    void aValueScanThatSawNothingBecauseItsReadsFailedIsAMiss() {
        // root without the right to read another user's process environment reads nothing, and says nothing
        ScriptedGuest[] guest = new ScriptedGuest[1];
        Map<String, Probe.Result> results = run(e -> String.join(" ", e.argv()).contains("environ")
                ? new ExecResult(0, "", "") : fenced(e), guest);

        assertThat(results.get("gateway.no-real-values").held()).as(results.get("gateway.no-real-values").saw())
                .isFalse();
    }

    @Test
    void aValueScanTheAgentKilledIsAMiss() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        Map<String, Probe.Result> results = run(e -> String.join(" ", e.argv()).contains("environ")
                ? new ExecResult(137, "", "") : fenced(e), guest);

        assertThat(results.get("gateway.no-real-values").held()).isFalse();
    }

    @Test
    void withDlpWarningAGitSettingsReadThatSaidNothingIsAMiss() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        LaunchSpec warn = spec(new DlpDef(DlpAction.WARN, List.of()));

        Map<String, Probe.Result> killed = run(warn, e -> String.join(" ", e.argv()).contains("sslVerify")
                ? new ExecResult(137, "", "") : fenced(e), guest);
        Map<String, Probe.Result> verifying = run(warn, e -> String.join(" ", e.argv()).contains("sslVerify")
                ? new ExecResult(0, "||\n", "") : fenced(e), guest);

        assertThat(killed.get("gateway.ca-trusted").held()).isFalse();
        assertThat(killed.get("gateway.ca-trusted").saw()).startsWith("git's TLS settings could not be read: killed");
        assertThat(verifying.get("gateway.ca-trusted").held()).as(verifying.get("gateway.ca-trusted").saw()).isTrue();
    }

    @Test
    void theRealValueNeverEntersTheGuestNorWhatTheProbesSaw() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        String env = java.util.Base64.getEncoder().encodeToString(("PATH=/bin\0K=" + KEY + "\0").getBytes());
        Map<String, Probe.Result> results = run(e -> String.join(" ", e.argv()).contains("environ")
                ? new ExecResult(0, "ENV 1 " + env + " -\nFILES\n\nEND\n", "") : fenced(e), guest);

        assertThat(guest[0].execs).allSatisfy(e -> {
            assertThat(e.argv()).noneMatch(a -> a.contains(KEY));
            assertThat(e.env().values()).noneMatch(v -> v.contains(KEY));
        });
        assertThat(results.get("gateway.no-real-values").saw()).isEqualTo("the real value of route api.anthropic.com "
                + "(x-api-key) at bottle.yaml:3:5 is in the environment or command line of a guest process");
        assertThat(results.values()).extracting(Probe.Result::saw).noneMatch(s -> s.contains(KEY));
    }

    /** What go says when the gateway refused its download after TLS. */
    private static final String GO_REFUSED = "{\"Path\": \"claude-bottle.invalid/probe\", \"Error\": \"reading https://"
            + "api.anthropic.com/claude-bottle-probe/x/@v/v1.0.0.info: 403 Forbidden\"}";

    /** The runtimes a guest ships, as the probe's search lists them, and what each says. */
    private static ExecResult runtimes(ScriptedGuest.Exec e, String python, String java, String go) {
        String all = String.join(" ", e.argv());
        if (all.contains("find_one python3")) {
            return new ExecResult(0, "python3 /usr/bin/python3\njava /usr/bin/java\ngo /usr/lib/go/bin/go\n", "");
        }
        if (all.contains("urllib.request")) {
            return new ExecResult(0, python + "\n", "");
        }
        if (all.contains("public class TlsProbe")) {
            return new ExecResult(0, java + "\n", "");
        }
        if (all.contains("mod download")) {
            return new ExecResult(0, go + "\n", "");
        }
        return fenced(e);
    }

    @Test
    void eachRuntimeTheGuestShipsIsCheckedAndOneThatFailsIsNamed() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        Map<String, Probe.Result> all = run(e -> runtimes(e, "ssl verified; requests verified", "verified",
                GO_REFUSED), guest);
        assertThat(all.get("gateway.runtimes-trust").held()).as(all.get("gateway.runtimes-trust").saw()).isTrue();
        assertThat(all.get("gateway.runtimes-trust").saw()).isEqualTo("TLS to api.anthropic.com:443 through the "
                + "gateway verified with python3 (ssl verified; requests verified), java (verified), go (verified)");
        assertThat(guest[0].execs).filteredOn(e -> String.join(" ", e.argv()).matches("(?s).*(find_one|TlsProbe|"
                + "urllib|mod download).*")).hasSize(4).allSatisfy(e -> assertThat(e.user()).as("neither the agent "
                + "nor root").isEqualTo("nobody"));
        assertThat(guest[0].execs).filteredOn(e -> String.join(" ", e.argv()).contains("mod download"))
                .singleElement().satisfies(e -> assertThat(String.join(" ", e.argv())).contains("GOENV=off")
                        .contains("GOPROXY=\"https://$2/claude-bottle-probe/AKIAIOSFODNN7EXAMPLE\""));

        Map<String, Probe.Result> java = run(e -> runtimes(e, "ssl verified", "javax.net.ssl.SSLHandshakeException: "
                + "PKIX path building failed", GO_REFUSED), guest);
        assertThat(java.get("gateway.runtimes-trust").held()).isFalse();
        assertThat(java.get("gateway.runtimes-trust").saw()).startsWith("TLS to api.anthropic.com:443 through the "
                + "gateway did not verify with java (javax.net.ssl.SSLHandshakeException: PKIX path building failed)")
                .endsWith("it did with python3 (ssl verified), go (verified)");

        Map<String, Probe.Result> go = run(e -> runtimes(e, "ssl verified", "verified", "{\"Error\": \"Get "
                + "\\\"https://api.anthropic.com/x\\\": x509: certificate signed by unknown authority\"}"), guest);
        assertThat(go.get("gateway.runtimes-trust").held()).isFalse();
        assertThat(go.get("gateway.runtimes-trust").saw()).contains("go ({\"Error\"").contains("x509: certificate "
                + "signed by unknown authority");

        Map<String, Probe.Result> requests = run(e -> runtimes(e, "ssl verified; requests SSLError: certificate "
                + "verify failed", "verified", GO_REFUSED), guest);
        assertThat(requests.get("gateway.runtimes-trust").held()).as("one client of a runtime failing fails it")
                .isFalse();
    }

    @Test
    void aRuntimeCheckThatWasKilledOrSaidNothingIsAMiss() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        Map<String, Probe.Result> killed = run(e -> String.join(" ", e.argv()).contains("mod download")
                ? new ExecResult(137, GO_REFUSED, "") : runtimes(e, "ssl verified", "verified", GO_REFUSED), guest);
        assertThat(killed.get("gateway.runtimes-trust").held()).isFalse();
        assertThat(killed.get("gateway.runtimes-trust").saw()).contains("go (killed");

        Map<String, Probe.Result> silent = run(e -> runtimes(e, "", "verified", ""), guest);
        assertThat(silent.get("gateway.runtimes-trust").held()).isFalse();
        assertThat(silent.get("gateway.runtimes-trust").saw()).contains("python3 (no answer").contains("go (no answer");

        Map<String, Probe.Result> none = run(GatewayProbesTest::fenced, guest);
        assertThat(none.get("gateway.runtimes-trust").saw()).startsWith("no python3, java, go or cargo owned by root in ");
    }

    @Test
    void aJreWithoutACompilerIsCheckedByItsDefaultTrustStore() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        java.util.function.BiFunction<ScriptedGuest.Exec, String, ExecResult> jre = (e, store) ->
                String.join(" ", e.argv()).contains("-alias claude-bottle-1") ? new ExecResult(0, store, "")
                        : runtimes(e, "ssl verified", "error: module not found: jdk.compiler", GO_REFUSED);

        Map<String, Probe.Result> holds = run(e -> jre.apply(e, "E0:71:2B|E0:71:2B\n"), guest);
        assertThat(holds.get("gateway.runtimes-trust").held()).as(holds.get("gateway.runtimes-trust").saw()).isTrue();
        assertThat(holds.get("gateway.runtimes-trust").saw()).contains("java (it cannot run the probe's program; its "
                + "default trust store holds the bottle's CA)");

        Map<String, Probe.Result> lacks = run(e -> jre.apply(e, "|E0:71:2B\n"), guest);
        assertThat(lacks.get("gateway.runtimes-trust").held()).isFalse();
        assertThat(lacks.get("gateway.runtimes-trust").saw()).contains("its default trust store does not hold");
        Map<String, Probe.Result> other = run(e -> jre.apply(e, "AA:BB|E0:71:2B\n"), guest);
        assertThat(other.get("gateway.runtimes-trust").held()).as("another CA under the alias").isFalse();
    }

    @Test
    void aRuntimeThatIsNotRootsAloneIsNamedAsNotCheckedAndNothingOfItRuns() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        Map<String, Probe.Result> results = run(e -> String.join(" ", e.argv()).contains("find_one python3")
                ? new ExecResult(0, "skipped python3 /usr/local/bin/python3: it, or a file of /usr/local/lib/python3.11, "
                + "is not root's alone\njava /usr/lib/jvm/j/bin/java\n", "") : runtimes(e, "ssl verified", "verified",
                GO_REFUSED), guest);

        Probe.Result r = results.get("gateway.runtimes-trust");
        assertThat(r.held()).as(r.saw()).isTrue();
        assertThat(r.saw()).isEqualTo("TLS to api.anthropic.com:443 through the gateway verified with java (verified); "
                + "not checked: python3 /usr/local/bin/python3: it, or a file of /usr/local/lib/python3.11, is not "
                + "root's alone");
        assertThat(guest[0].execs).noneMatch(e -> e.argv().contains("/usr/local/bin/python3"));
        assertThat(guest[0].execs).filteredOn(e -> String.join(" ", e.argv()).contains("urllib")).isEmpty();
    }

    @Test
    void withDlpOnlyWarningGoIsNotAskedToSendAnything() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        LaunchSpec warn = spec(new DlpDef(DlpAction.WARN, List.of()));
        Map<String, Probe.Result> results = run(warn, e -> String.join(" ", e.argv()).contains("sslVerify")
                ? new ExecResult(0, "||\n", "") : runtimes(e, "ssl verified", "verified", GO_REFUSED), guest);

        assertThat(results.get("gateway.runtimes-trust").saw()).endsWith("verified with python3 (ssl verified), java "
                + "(verified); not checked: go: with DLP only warning its request would go upstream");
        assertThat(guest[0].execs).noneMatch(e -> String.join(" ", e.argv()).contains("mod download"));
    }

    @Test
    void pythonRunsItsStandardLibraryAloneAndJavaWithoutAttachOrPerfData() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        run(e -> runtimes(e, "ssl verified", "verified", GO_REFUSED), guest);
        assertThat(guest[0].execs).filteredOn(e -> String.join(" ", e.argv()).contains("urllib")).singleElement()
                .satisfies(e -> assertThat(e.argv()).containsSequence("/usr/bin/python3", "-I", "-S", "-c"));
        assertThat(guest[0].execs).filteredOn(e -> String.join(" ", e.argv()).contains("TlsProbe")).singleElement()
                .satisfies(e -> assertThat(String.join(" ", e.argv())).contains("-XX:-UsePerfData")
                        .contains("-XX:+DisableAttachMechanism"));
    }

    @Test
    void cargoIsCheckedBySearchingASparseIndexTheGatewayRefusesAndAnOldCargoIsNamedNotChecked() {
        ScriptedGuest[] guest = new ScriptedGuest[1];
        java.util.function.BiFunction<ScriptedGuest.Exec, String, ExecResult> cargo = (e, says) -> {
            String all = String.join(" ", e.argv());
            return all.contains("find_one python3") ? new ExecResult(0, "cargo /usr/local/bin/cargo\n", "")
                    : all.contains(" search ") ? new ExecResult(101, says, "") : fenced(e);
        };
        Map<String, Probe.Result> refused = run(e -> cargo.apply(e, "error: failed to get successful HTTP response "
                + "from `https://api.anthropic.com/claude-bottle-probe/x/config.json`, got 403\n"), guest);
        assertThat(refused.get("gateway.runtimes-trust").saw()).endsWith("verified with cargo (verified)");
        assertThat(guest[0].execs).filteredOn(e -> String.join(" ", e.argv()).contains(" search ")).singleElement()
                .satisfies(e -> assertThat(String.join(" ", e.argv())).contains("sparse+https://$2/claude-bottle-probe/"
                        + "AKIAIOSFODNN7EXAMPLE/").contains("CARGO_HOME=\"$d\"").contains("CARGO_HTTP_CAINFO"));

        Map<String, Probe.Result> tls = run(e -> cargo.apply(e, "Caused by:\n  [60] SSL peer certificate or SSH remote "
                + "key was not OK (SSL certificate problem: unable to get local issuer certificate)\n"), guest);
        assertThat(tls.get("gateway.runtimes-trust").held()).isFalse();
        assertThat(tls.get("gateway.runtimes-trust").saw()).contains("cargo ([60] SSL peer certificate");

        Map<String, Probe.Result> old = run(e -> cargo.apply(e, "error: usage of sparse registries requires "
                + "`-Z sparse-registry`\n"), guest);
        assertThat(old.get("gateway.runtimes-trust").held()).isTrue();
        assertThat(old.get("gateway.runtimes-trust").saw()).contains("not checked: cargo: this cargo predates");
    }
}
