package dev.claudebottle.bundle.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A usage adds up its four counts and holds no impossible split. */
class UsageTest {
    @Test
    void theTotalIsAllFourCountsAndTheFiveMinuteWritesAreWhatTheHourLeaves() {
        Usage usage = new Usage("claude-haiku-4-5", 1, 20, 300, 4_000, 100);

        assertThat(usage.total()).isEqualTo(4_321);
        assertThat(usage.cacheCreation5mTokens()).isEqualTo(200);
    }

    @Test
    void aTotalPastTheLargestLongStopsThere() {
        assertThat(Usage.of("m", Long.MAX_VALUE, 1, 1, 1).total()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void negativeCountsAndMoreHourWritesThanWritesAreRefused() {
        assertThatThrownBy(() -> Usage.of("m", -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Usage("m", 0, 0, 5, 0, 6)).isInstanceOf(IllegalArgumentException.class);
    }
}
