package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bottle image push}: the agent and bundle images go to a real registry (Debian's
 * docker-registry in a container on loopback), and each is printed by the digest the registry serves
 * it under, which is what a cluster's pods name.
 */
@Tag("docker")
class ImagePushIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theImagesArePushedAndNamedByTheDigestTheRegistryServesThemUnder(@TempDir Path temp) throws Exception {
        String image = Docker.testImage("registry", temp);
        String registry = Docker.run("run", "-d", "--label", "claude-bottle-it=1", "-p", "127.0.0.1::5000", image);
        List<String> pushed = new ArrayList<>();
        try {
            String mapped = Docker.run("port", registry, "5000/tcp").lines().findFirst().orElseThrow();
            int port = Integer.parseInt(mapped.substring(mapped.lastIndexOf(':') + 1));
            Await.until(Duration.ofSeconds(30), "the registry to answer", () -> {
                try {
                    return get(port, "/v2/", "application/json").statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            CliHarness cli = new CliHarness(Files.createDirectories(temp.resolve("home")),
                    Files.createDirectories(temp.resolve("work")));

            var r = cli.run("image", "push", "localhost:" + port, "--json");

            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode rows = JSON.readTree(r.out());
            assertThat(rows).hasSize(2);
            for (JsonNode row : rows) {
                String role = row.get("role").asText();
                String tag = row.get("tag").asText();
                String reference = row.get("pushed").asText();
                assertThat(reference).matches("localhost:" + port + "/claude-bottle/" + role + "@sha256:[0-9a-f]{64}");
                pushed.add("localhost:" + port + "/" + tag);
                // the registry serves the content tag under the very digest printed
                HttpResponse<String> manifest = get(port, "/v2/claude-bottle/" + role + "/manifests/"
                        + tag.substring(tag.lastIndexOf(':') + 1), "application/vnd.docker.distribution.manifest.v2+json, "
                        + "application/vnd.oci.image.manifest.v1+json");
                assertThat(manifest.statusCode()).isEqualTo(200);
                assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(
                        reference.substring(reference.indexOf('@') + 1));
            }

            // a second push of the same content names the same digests; a name no registry has is refused first
            var again = cli.run("image", "push", "localhost:" + port);
            assertThat(again.exitCode()).as(again.err()).isZero();
            for (JsonNode row : rows) {
                assertThat(again.out()).contains(row.get("pushed").asText());
            }
            var bad = cli.run("image", "push", "Not A Registry!");
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(bad.err()).contains("is not a registry to push to");
        } finally {
            Docker.run("rm", "-f", registry);
            for (String reference : pushed) {
                Docker.run("rmi", reference);
            }
        }
    }

    private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
