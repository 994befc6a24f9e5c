package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.HostEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
}
