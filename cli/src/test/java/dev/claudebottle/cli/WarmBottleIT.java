package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm bottles on a real engine: made with no credential and claimed by a launch that gives them
 * their values late, bound exactly as a cold launch binds a bottle, never claimed for another text
 * of their manifest, and removed by stop and gc.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarmBottleIT {
    private static final String KEY = "it-WARM-REALVALUE-5a4b3c2d1e";
    private static final String EGRESS = "claude-bottle-it-warm-egress";
    private static final String UPSTREAM = "claude-bottle-it-warm-upstream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = """
            version: 1
            bottles:
              it:
                warm: 1
            """ + DockerRunIT.API_EGRESS + """
            agents:
              probe:
                bottle: it
                command: [bash]
            """;
    private static final String ROUTE = "curl -s -H \"x-api-key: $IT_API_KEY\" http://api.test/v1/messages";
    Path work;
    Path home;

    @BeforeAll
    void upstream(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(work.resolve("bottle.yaml"), MANIFEST);
        String agentImage = cli().agentImage();
        Docker.run("rm", "-f", UPSTREAM);
        Docker.ensureNetwork(EGRESS);
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "allowed.test", "--network-alias", "api.test", agentImage, "node", "-e", DockerRunIT.SERVER);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        // a refill the last launch began ends before the next test counts what there is
        Await.until(Duration.ofSeconds(120), "no warm fill under way", () -> !ps().contains("warm fill probe"));
        Files.writeString(work.resolve("bottle.yaml"), MANIFEST);
        cli().run("stop", "--all");
        assertThat(Docker.running("claude-bottle.role=guest")).isEmpty();
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_API_KEY", KEY);
    }

    private static String ps() throws Exception {
        Process p = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private String upstreamLog() throws Exception {
        return Docker.run("exec", UPSTREAM, "sh", "-c", "cat /tmp/requests.log 2>/dev/null || true");
    }

    private String fill() {
        var filled = cli().run("warm", "fill", "probe");
        assertThat(filled.exitCode()).as(filled.all()).isZero();
        String slug = filled.out().strip();
        assertThat(slug).startsWith("probe-").doesNotContain("\n");
        return slug;
    }

    private JsonNode row(String slug) throws Exception {
        for (JsonNode row : JSON.readTree(cli().run("ls", "--json").out())) {
            if (row.get("slug").asText().equals(slug)) {
                return row;
            }
        }
        throw new AssertionError("bottle ls does not list " + slug);
    }

    @Test
    void aWarmBottleHoldsNoCredentialAndRefusesItsRouteUntilALaunchClaimsItAndFillsThePoolAgain() throws Exception {
        String slug = fill();
        assertThat(row(slug).get("state").asText()).isEqualTo("warm");
        assertThat(row(slug).get("warm").asBoolean()).isTrue();
        String guest = "claude-bottle-" + slug + "-guest";
        String bundle = "claude-bottle-" + slug + "-bundle";
        assertThat(Docker.run("inspect", guest) + Docker.run("inspect", bundle)).doesNotContain(KEY);
        assertThat(Docker.run("exec", bundle, "sh", "-c", "cat /run/claude-bottle/bound-values.json"))
                .doesNotContain(KEY);
        // the guest asks before any launch claimed it: refused at the gateway, nothing reaches the upstream
        assertThat(Docker.run("exec", guest, "sh", "-c", "curl -s -o /dev/null -w '%{http_code}' "
                + "-H \"x-api-key: $IT_API_KEY\" http://api.test/v1/messages")).isEqualTo("401");
        assertThat(upstreamLog()).doesNotContain("api.test");

        var r = cli().run("run", "probe", "--", "sh", "-c", ROUTE);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("hello from api.test");
        assertThat(r.err()).contains("claimed warm bottle " + slug).contains("isolation verified again");
        assertThat(r.all()).doesNotContain(KEY);
        assertThat(upstreamLog()).contains("\"host\":\"api.test\",\"url\":\"/v1/messages\",\"key\":\"" + KEY + "\"");
        assertThat(Docker.run("ps", "-a", "--format", "{{.Names}}")).doesNotContain(slug);
        // the pool fills again in the background, with a bottle of its own
        String refilled = Await.value(Duration.ofSeconds(120), "the pool filled again", () -> {
            JsonNode warm = JSON.readTree(cli().run("warm", "ls", "--json").out());
            return warm.size() == 1 ? java.util.Optional.of(warm.get(0).get("slug").asText())
                    : java.util.Optional.empty();
        });
        assertThat(refilled).isNotEqualTo(slug);
        assertThat(Files.readString(home.resolve(BackgroundFill.LOG))).doesNotContain(KEY);
    }

    @Test
    void aClaimedWarmBottleIsBoundAsAColdLaunchBindsOne() throws Exception {
        String warmSlug = fill();
        var claimed = cli().run("start", "probe", "--detach");
        assertThat(claimed.exitCode()).as(claimed.all()).isZero();
        assertThat(claimed.out().strip()).isEqualTo(warmSlug);
        Await.until(Duration.ofSeconds(120), "the pool filled again", () -> JSON.readTree(cli().run("warm", "ls",
                "--json").out()).size() == 1);
        assertThat(cli().run("warm", "drain").exitCode()).isZero();
        var cold = cli().run("start", "probe", "--detach");
        assertThat(cold.exitCode()).as(cold.all()).isZero();
        assertThat(cold.err()).doesNotContain("claimed warm");
        String coldSlug = cold.out().strip();

        assertThat(Files.readString(stateDir(warmSlug).resolve("gateway/policy.json")))
                .isEqualTo(Files.readString(stateDir(coldSlug).resolve("gateway/policy.json")));
        for (String role : List.of("guest", "bundle")) {
            assertThat(env(warmSlug, role)).as(role + " env").isEqualTo(env(coldSlug, role));
            assertThat(mounts(warmSlug, role)).as(role + " mounts").isEqualTo(mounts(coldSlug, role));
        }
        // the values the bundles were given, compared without being read out of them (each gift has a generation)
        String digest = "sed 's/\"generation\":\"[0-9a-f]*\",//' /run/claude-bottle/bound-values.json | sha256sum "
                + "| cut -d' ' -f1";
        assertThat(Docker.run("exec", "claude-bottle-" + warmSlug + "-bundle", "sh", "-c", digest))
                .isEqualTo(Docker.run("exec", "claude-bottle-" + coldSlug + "-bundle", "sh", "-c", digest));
        assertThat(probes(warmSlug)).isEqualTo(probes(coldSlug)).allMatch(p -> p.endsWith("held"));
        assertThat(row(warmSlug).get("state").asText()).isEqualTo("running");
        assertThat(row(warmSlug).get("warm").asBoolean()).isFalse();
    }

    @Test
    void aWarmBottleIsNeverClaimedForAnotherTextOfItsManifestAndGcRemovesIt() throws Exception {
        String slug = fill();
        Files.writeString(work.resolve("bottle.yaml"), MANIFEST + "# edited\n");

        var r = cli().run("run", "probe", "--", "true");

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.err()).doesNotContain("claimed warm");
        assertThat(row(slug).get("state").asText()).isEqualTo("warm");
        var gc = cli().run("gc");
        assertThat(gc.out()).contains("removed warm bottle " + slug);
        assertThat(Docker.run("ps", "-a", "--format", "{{.Names}}")).doesNotContain(slug);
    }

    @Test
    void stopAllRemovesWarmBottlesAndNothingIsLeft() throws Exception {
        String slug = fill();

        var stopped = cli().run("stop", "--all");

        assertThat(stopped.exitCode()).as(stopped.all()).isZero();
        assertThat(Docker.run("ps", "-a", "--format", "{{.Names}}")).doesNotContain(slug);
        assertThat(Docker.run("network", "ls", "--format", "{{.Name}}")).doesNotContain(slug);
        assertThat(JSON.readTree(cli().run("warm", "ls", "--json").out())).isEmpty();
        assertThat(Files.exists(stateDir(slug))).isFalse();
    }

    private Path stateDir(String slug) {
        return home.resolve("bottles").resolve(slug);
    }

    /** A container's env entries, each bottle's own name and network made the same, sorted. */
    private static List<String> env(String slug, String role) throws Exception {
        List<String> entries = new ArrayList<>();
        for (JsonNode e : JSON.readTree(Docker.run("inspect", "-f", "{{json .Config.Env}}",
                "claude-bottle-" + slug + "-" + role))) {
            // each bottle has a network of its own
            entries.add(e.asText().replace(slug, "SLUG").replaceAll("^(CLAUDE_BOTTLE_LISTEN_SUBNET=).*", "$1NET"));
        }
        return new ArrayList<>(new TreeSet<>(entries));
    }

    /** A container's mounts, as source, destination and mode, each bottle's own name made the same. */
    private static List<String> mounts(String slug, String role) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode m : JSON.readTree(Docker.run("inspect", "-f", "{{json .Mounts}}",
                "claude-bottle-" + slug + "-" + role))) {
            out.add((m.path("Source").asText() + " " + m.path("Destination").asText() + " " + m.path("RW").asText())
                    .replace(slug, "SLUG"));
        }
        return new ArrayList<>(new TreeSet<>(out));
    }

    /** What bottle verify saw of each probe, by id. */
    private List<String> probes(String slug) throws Exception {
        var verified = cli().run("verify", slug, "--json");
        List<String> out = new ArrayList<>();
        for (JsonNode p : JSON.readTree(verified.out())) {
            out.add(p.get("id").asText() + " " + (p.get("held").asBoolean() ? "held" : "missed"));
        }
        return out;
    }
}
