package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.HostEnvironment;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedEngineTest {
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    private final class CountingEngine extends RefusingEngine {
        CountingEngine() {
            connections.incrementAndGet();
        }

        @Override
        public EngineInfo info() {
            return new EngineInfo("27.5.1", "1.47", "Debian");
        }

        @Override
        public Optional<String> imageId(String reference) {
            throw new EnvironmentException("the engine does not answer", "start it");
        }

        @Override
        public java.util.List<String> containers(Map<String, String> labels) {
            return java.util.List.of();
        }

        @Override
        public java.util.List<String> networks(Map<String, String> labels) {
            return java.util.List.of();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void everyOperationUsesOneConnectionWhichOnlyTheOwnerCloses() {
        SharedEngine shared = new SharedEngine(CountingEngine::new);
        assertThat(shared.connected()).isFalse();

        for (int i = 0; i < 3; i++) {
            try (DockerEngine engine = shared.get()) {
                assertThat(engine.info().version()).isEqualTo("27.5.1");
            }
        }

        assertThat(connections).hasValue(1);
        assertThat(closed).hasValue(0);
        shared.close();
        shared.close();
        assertThat(closed).hasValue(1);
        assertThat(shared.connected()).isFalse();
    }

    @Test
    void nothingIsConnectedForACommandThatNeverTalksToTheEngine() {
        SharedEngine shared = new SharedEngine(CountingEngine::new);
        shared.close();
        assertThat(connections).hasValue(0);
        assertThat(closed).hasValue(0);
    }

    @Test
    void theEnginesOwnFailuresComeThroughAsTheyAre() {
        SharedEngine shared = new SharedEngine(CountingEngine::new);
        assertThatThrownBy(() -> shared.get().imageId("agent:latest"))
                .isInstanceOf(EnvironmentException.class).hasMessage("the engine does not answer");
    }

    @Test
    void theBackendClosesItsConnectionWhenTheKernelIsDone() {
        DockerBackend backend = new DockerBackend(CountingEngine::new, DockerBackendTest.PATHS, e -> { },
                HostEnvironment.of(Map.of()));
        backend.bottles();
        backend.bottles();
        backend.close();
        assertThat(connections).hasValue(1);
        assertThat(closed).hasValue(1);
    }
}
