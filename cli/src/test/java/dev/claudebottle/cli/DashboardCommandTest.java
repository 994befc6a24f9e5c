package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle dashboard} as a person runs it: a URL, one dashboard per home, gone at Ctrl-C. */
class DashboardCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path home;

    private Process bottle(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(home.resolve("stderr.txt").toFile());
        pb.environment().put("CLAUDE_BOTTLE_HOME", home.toString());
        return pb.start();
    }

    @Test
    void itPrintsItsUrlServesThePageSaysWhereItIsToASecondAndLeavesNothingAtCtrlC() throws Exception {
        // a file left by a dashboard that died, naming a process that lives: it fools nobody
        Files.writeString(home.resolve(DashboardCommand.RUNNING_FILE), "{\"pid\": 1, \"url\": \"http://127.0.0.1:1/\", "
                + "\"port\": 1}");
        Process dashboard = bottle("dashboard", "--json", "--no-browser");
        try {
            // the first JSON value it prints, while it goes on serving
            JsonNode printed = JSON.readTree(JSON.getFactory().createParser(dashboard.getInputStream()));
            URI url = URI.create(printed.get("url").asText());
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(url.getPort()).isEqualTo(printed.get("port").asInt());
            assertThat(url.getQuery()).isNull();
            String token = url.getFragment().substring("token=".length());

            URI session = URI.create("http://127.0.0.1:" + url.getPort() + "/api/session");
            HttpResponse<String> signedIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(session)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(session).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

            Path running = home.resolve(DashboardCommand.RUNNING_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(running))).isEqualTo("rw-------");
            Process second = bottle("dashboard", "--json", "--no-browser");
            assertThat(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isZero();
            JsonNode said = JSON.readTree(new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(said.get("already_running").asBoolean()).isTrue();
            assertThat(said.get("url").asText()).isEqualTo(url.toString());

            new ProcessBuilder("kill", "-INT", Long.toString(dashboard.pid())).start().waitFor();
            assertThat(dashboard.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("Ctrl-C ends it").isTrue();
            assertThat(running).doesNotExist();
            Await.until(Duration.ofSeconds(10), "the port closed", () -> {
                try (Socket s = new Socket(url.getHost(), url.getPort())) {
                    return false;
                } catch (ConnectException closed) {
                    return true;
                }
            });
            assertThat(Files.readString(home.resolve("stderr.txt"))).doesNotContain(token);
        } finally {
            dashboard.destroyForcibly();
        }
    }

    @Test
    void anAddressOtherMachinesReachIsBadInput() {
        CliHarness cli = new CliHarness(home, home);
        var wildcard = cli.run("dashboard", "--no-browser", "--address", "0.0.0.0");
        assertThat(wildcard.exitCode()).as(wildcard.all()).isEqualTo(2);
        assertThat(wildcard.err()).contains("loopback");
        var name = cli.run("dashboard", "--no-browser", "--address", "localhost");
        assertThat(name.exitCode()).isEqualTo(2);
    }
}
