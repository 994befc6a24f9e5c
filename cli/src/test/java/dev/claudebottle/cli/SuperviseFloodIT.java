package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that floods the person through supervise fills neither the host's disk nor its screen,
 * and a disk filled all the same does not keep a bottle from being seen tainted and stopped at its
 * first alert. The state home is a small file system of its own, so that filling it is real.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuperviseFloodIT {
    private static final String EGRESS = "claude-bottle-it-flood-egress";
    private static final String KEY = "it-real-key-flood-0000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    Path work;
    Path home;

    @BeforeAll
    void smallHome(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        // a file system of its own, which a test can fill: root on Linux, as CI and the developers' machines run
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "claude-bottle-it", home.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes());
        assertThat(mount.waitFor()).as("mount a tmpfs for the state home: " + said).isZero();
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  asking:
                    supervise: {timeout: 1m}
                  tripwired:
                    egress:
                      allow:
                        - host: allowed.test
                      routes:
                        - host: api.test
                          header: x-api-key
                          value: "${IT_API_KEY}"
                          placeholder: {env: IT_API_KEY, value: bottle-placeholder}
                      on_alert: stop
                agents:
                  flooder:
                    bottle: asking
                    command: [bash]
                  tripper:
                    bottle: tripwired
                    command: [bash]
                """);
        Docker.ensureNetwork(EGRESS);
        assertThat(cli().agentImage()).isNotBlank();
    }

    @AfterAll
    void cleanUp() throws Exception {
        cli().run("gc");
        Docker.run("network", "rm", EGRESS);
        new ProcessBuilder("umount", "-l", home.toString()).start().waitFor();
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_API_KEY", KEY);
    }

    private String start(String agent) {
        var started = cli().run("start", agent, "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        return started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
    }

    private static long bytesUnder(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void anAgentFloodingThePersonIsCappedAndTheRecordSaysWhatWasDropped() throws Exception {
        String slug = start("flooder");
        try {
            Path script = Path.of(getClass().getResource("/mcp-flood.js").toURI());
            var copied = cli().runWithInput(Files.newInputStream(script), "exec", slug, "--", "sh", "-c",
                    "cat > /tmp/flood.js");
            assertThat(copied.exitCode()).as(copied.all()).isZero();

            var flood = cli().run("exec", slug, "--", "node", "/tmp/flood.js");

            assertThat(flood.exitCode()).as(flood.all()).isZero();
            JsonNode got = JSON.readTree(flood.out().strip().lines().reduce((x, y) -> y).orElseThrow());
            // twenty filings a minute in all: eight questions filed first, so about twelve notifications after them
            assertThat(got.get("delivered").asInt()).as(got.toString()).isBetween(8, 16);
            assertThat(got.get("dropped").asInt()).as(got.toString()).isGreaterThanOrEqualTo(44);
            assertThat(got.get("hugeRefused").asBoolean()).isTrue();
            assertThat(got.get("longQuestionRefused").asBoolean()).isTrue();
            assertThat(got.get("questionsRefused").asInt()).as(got.toString()).isEqualTo(4);

            Path queue = home.resolve("bottles").resolve(slug).resolve("supervise");
            assertThat(bytesUnder(queue)).as("what the flood left on the host").isLessThan(1 << 20);
            JsonNode requests = JSON.readTree(cli().run("supervise", "ls", "--json").out());
            assertThat(requests.size()).as("at most eight of the agent's questions wait").isEqualTo(8);
            assertThat(requests.findValuesAsText("asker")).containsOnly("agent");
            assertThat(cli().run("supervise", "ls").out()).contains("the agent asks: question");
            Await.until(Duration.ofSeconds(30), "the record's sum of what the rate dropped",
                    () -> cli().run("logs", slug, "--egress").out().contains("notifications dropped since"));
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    void aFullDiskDoesNotKeepTheFirstAlertFromTaintingAndStoppingTheBottle() throws Exception {
        String slug = start("tripper");
        Path filler = home.resolve("filler");
        try {
            // the disk the record is on fills up, as whatever the guest can write to it might fill it
            new ProcessBuilder("dd", "if=/dev/zero", "of=" + filler, "bs=64k").redirectErrorStream(true).start()
                    .waitFor(60, TimeUnit.SECONDS);
            assertThat(Files.getFileStore(home).getUsableSpace()).as("the disk is full").isLessThan(64 * 1024);

            var trip = cli().run("exec", slug, "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "-H", "x-api-key: bottle-placeholder", "http://allowed.test/trip");
            assertThat(trip.out()).isEqualTo("403");

            Await.until(Duration.ofSeconds(60), "the bottle to stop at its first alert",
                    () -> Docker.containers("claude-bottle.slug=" + slug).isEmpty());
            assertThat(home.resolve("records").resolve(slug).resolve("tainted.json")).as("the alert marker")
                    .exists();
            assertThat(Docker.containers("claude-bottle.slug=" + slug)).as("stopped at its first alert").isEmpty();
        } finally {
            Files.deleteIfExists(filler);
            cli().run("stop", slug);
        }
    }
}
