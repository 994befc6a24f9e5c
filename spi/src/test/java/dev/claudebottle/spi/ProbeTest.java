package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.testing.LocalGuest;
import dev.claudebottle.spi.testing.ProbeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        ProbeContext ctx = new ProbeContext(new LocalGuest(Map.of(), Path.of("/")));

        assertThatThrownBy(() -> step.action().run(ctx)).isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("no result within");
        assertThat(ctx.result(Probe.key("test.hang")).held()).isFalse();
    }

    @Test
    void aProbeThatThrowsIsAMissSayingWhy() {
        Step step = Probe.step("test.broken", "breaks", ctx -> {
            throw new IllegalStateException("the exec was lost");
        });
        ProbeContext ctx = new ProbeContext(new LocalGuest(Map.of(), Path.of("/")));

        assertThatThrownBy(() -> step.action().run(ctx)).isInstanceOf(EnvironmentException.class);
        assertThat(ctx.result(Probe.key("test.broken"))).satisfies(r -> {
            assertThat(r.held()).isFalse();
            assertThat(r.saw()).isEqualTo("the probe could not run: the exec was lost");
        });
    }

    @Test
    void aProbeThatHeldInTimeHolds() throws Exception {
        Step step = Probe.step("test.held", "holds", ctx -> Probe.Result.held("fine"));
        ProbeContext ctx = new ProbeContext(new LocalGuest(Map.of(), Path.of("/")));

        step.action().run(ctx);

        assertThat(ctx.result(Probe.key("test.held")).held()).isTrue();
    }
}
