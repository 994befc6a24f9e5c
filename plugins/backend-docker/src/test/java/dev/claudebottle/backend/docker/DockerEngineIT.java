package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.HostEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against the real engine DOCKER_HOST points at; fails, never skips, when it does not answer. */
@Tag("docker")
class DockerEngineIT {
    private static final HostEnvironment HOST = HostEnvironment.current();

    @Test
    void theEngineAnswersAndDoctorFindsNothingMissing() {
        try (DockerEngine engine = new DockerJavaEngine(HOST)) {
            EngineInfo info = engine.info();
            assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(EngineVersion.recentEnough(info.version())).isPresent();
        }
        assertThat(new DockerBackend(HOST, DockerBackendTest.PATHS, e -> { }).doctor()).extracting(Check::status).doesNotContain(Check.Status.FAIL);
    }

    @Test
    @Timeout(30)
    void followingALogSeesLinesWrittenLaterAndEndsWithTheContainer() throws Exception {
        try (DockerEngine engine = new DockerJavaEngine(HOST)) {
            String talker = started(engine, "talker", "echo first; sleep 1; echo second; exec sleep 60");
            String quitter = started(engine, "quitter", "echo only");
            try {
                List<String> seen = new ArrayList<>();
                assertThat(engine.followLogs(talker, Duration.ofSeconds(20), line -> seen.add(line)
                        && line.equals("second"))).isTrue();
                assertThat(seen).containsExactly("first", "second");

                // within the test's timeout: the wait ends with the log, not with its own minute
                assertThat(engine.followLogs(quitter, Duration.ofMinutes(1), line -> line.equals("never"))).isFalse();
            } finally {
                engine.remove(talker);
                engine.remove(quitter);
            }
        }
    }

    private static String started(DockerEngine engine, String name, String script) {
        String slug = "engine-it-" + ProcessHandle.current().pid();
        String id = engine.createContainer(new ContainerSpec(slug + "-" + name, ImageBuilder.DEFAULT_BASE, List.of(),
                Labels.of(slug, "test", java.nio.file.Path.of("/tmp/claude-bottle-it-home")), "none", List.of(), List.of(), Optional.empty(), List.of("sh", "-c"),
                List.of(script), List.of(), List.of(), List.of(), Optional.empty()));
        engine.start(id);
        return id;
    }
}
