package dev.claudebottle.spi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A wait ends as soon as what it waits for is there, and fails by name once its time has passed. */
class AwaitTest {
    @Test
    void returnsOnTheLookThatFindsTheConditionHolding() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        Await.until(Duration.ofSeconds(10), "the third look", () -> looks.incrementAndGet() == 3);

        assertThat(looks).hasValue(3);
    }

    @Test
    void returnsTheValueOnceItIsThere() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        String found = Await.value(Duration.ofSeconds(10), "a line",
                () -> looks.incrementAndGet() < 2 ? Optional.empty() : Optional.of("line " + looks.get()));

        assertThat(found).isEqualTo("line 2");
    }

    @Test
    void failsNamingWhatItWaitedForOnceItsTimeHasPassed() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> Await.until(Duration.ofMillis(150), "the tunnel's record line", () -> false))
                .isInstanceOf(AssertionError.class).hasMessage("waited 150 ms for the tunnel's record line");
        assertThatThrownBy(() -> Await.value(Duration.ofSeconds(1), "a value", Optional::empty))
                .isInstanceOf(AssertionError.class).hasMessage("waited 1 s for a value");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void whatItWaitedForIsToldOnlyOnFailingSoItCanShowWhatWasThere() {
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger told = new AtomicInteger();

        assertThatThrownBy(() -> Await.until(Duration.ofMillis(100), () -> {
            told.incrementAndGet();
            return "a look that finds it; there were " + looks.get();
        }, () -> looks.incrementAndGet() < 0)).isInstanceOf(AssertionError.class)
                .hasMessage("waited 100 ms for a look that finds it; there were " + looks.get());
        assertThat(told).hasValue(1);
    }

    @Test
    void whatALookThrowsEndsTheWait() {
        AtomicInteger looks = new AtomicInteger();

        assertThatThrownBy(() -> Await.until(Duration.ofSeconds(10), "a readable file", () -> {
            looks.incrementAndGet();
            throw new IOException("unreadable");
        })).isInstanceOf(IOException.class).hasMessage("unreadable");
        assertThat(looks).hasValue(1);
    }
}
