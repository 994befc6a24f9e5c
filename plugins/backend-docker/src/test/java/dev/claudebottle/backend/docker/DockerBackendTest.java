package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerBackendTest {
    static final dev.claudebottle.spi.HostEnvironment NO_ENV = dev.claudebottle.spi.HostEnvironment.of(Map.of());

    static final BottlePaths PATHS = new BottlePaths() {
        @Override
        public Path home() {
            return Path.of("/tmp/claude-bottle-test");
        }

        @Override
        public Path bottleDir(String slug) {
            return home().resolve(slug);
        }

        @Override
        public Optional<Path> distribution() {
            return Optional.empty();
        }
    };

    private static DockerEngine engine(String version) {
        return new RefusingEngine() {
            @Override
            public EngineInfo info() {
                if (version == null) {
                    throw new EnvironmentException("the Docker engine at unix:///x.sock does not answer", "start it");
                }
                return new EngineInfo(version, "1.47", "Debian GNU/Linux 12 (bookworm)");
            }

        };
    }

    @Test
    void engineVersionsBefore2505LeakDnsFromInternalNetworks() {
        assertThat(EngineVersion.recentEnough("25.0.4")).contains(false);
        assertThat(EngineVersion.recentEnough("24.9.9")).contains(false);
        assertThat(EngineVersion.recentEnough("25.0.5")).contains(true);
        assertThat(EngineVersion.recentEnough("28.2.2")).contains(true);
        assertThat(EngineVersion.recentEnough("dev")).isEmpty();
    }

    @Test
    void doctorPassesOnARecentEngine() {
        List<Check> checks = new DockerBackend(() -> engine("28.2.2"), PATHS, e -> { }, NO_ENV).doctor();
        assertThat(checks).extracting(Check::status).containsOnly(Check.Status.OK);
        assertThat(checks.get(0).detail()).contains("28.2.2");
    }

    @Test
    void doctorWarnsOnAnOldEngineAndFailsOnNoEngine() {
        assertThat(new DockerBackend(() -> engine("20.10.24+dfsg1"), PATHS, e -> { }, NO_ENV).doctor())
                .anySatisfy(c -> {
                    assertThat(c.status()).isEqualTo(Check.Status.WARN);
                    assertThat(c.detail()).contains("CVE-2024-29018");
                    assertThat(c.hint()).hasValueSatisfying(h -> assertThat(h).contains("25.0.5"));
                })
                .noneSatisfy(c -> assertThat(c.status()).isEqualTo(Check.Status.FAIL));
        assertThat(new DockerBackend(() -> engine(null), PATHS, e -> { }, NO_ENV).doctor()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Check.Status.FAIL);
            assertThat(c.detail()).contains("does not answer");
        });
    }
}
