package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.testing.LocalGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A probe holds only on a result it had in time: a hung or broken check is a miss. */
class ProbeTest {
    @Test
    @Timeout(20)
    void aProbeThatDoesNotAnswerByItsDeadlineIsAMissNotAHang() {
        CountDownLatch never = new CountDownLatch(1);
        Step step = Probe.step("test.hang", "hangs", Duration.ofMillis(300), ctx -> {
            never.await();
            return Probe.Result.held("never");
        });
        Results ctx = new Results();

        assertThatThrownBy(() -> step.action().run(ctx)).isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("no result within");
        assertThat(ctx.result(Probe.key("test.hang")).held()).isFalse();
    }

    @Test
    void aProbeThatThrowsIsAMissSayingWhy() {
        Step step = Probe.step("test.broken", "breaks", ctx -> {
            throw new IllegalStateException("the exec was lost");
        });
        Results ctx = new Results();

        assertThatThrownBy(() -> step.action().run(ctx)).isInstanceOf(EnvironmentException.class);
        assertThat(ctx.result(Probe.key("test.broken"))).satisfies(r -> {
            assertThat(r.held()).isFalse();
            assertThat(r.saw()).isEqualTo("the probe could not run: the exec was lost");
        });
    }

    @Test
    void aProbeThatHeldInTimeHolds() throws Exception {
        Step step = Probe.step("test.held", "holds", ctx -> Probe.Result.held("fine"));
        Results ctx = new Results();

        step.action().run(ctx);

        assertThat(ctx.result(Probe.key("test.held")).held()).isTrue();
    }

    /** What the probe produces, kept. */
    private static final class Results implements StepContext {
        private final Map<ResultKey<?>, Object> values = new ConcurrentHashMap<>();

        @Override
        public LaunchSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Guest guest() {
            return new LocalGuest(Map.of(), Path.of("/"));
        }

        @Override
        public Endpoint endpoint(String portName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> guestEnv() {
            throw new UnsupportedOperationException();
        }

        @Override
        public EventSink events() {
            return e -> { };
        }

        @Override
        public <T> void produce(ResultKey<T> key, T value) {
            values.put(key, value);
        }

        @Override
        public <T> T result(ResultKey<T> key) {
            return key.type().cast(Objects.requireNonNull(values.get(key), key.name()));
        }
    }
}
