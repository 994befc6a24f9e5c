package dev.claudebottle.bundle.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each model is priced by its longest family, cache tokens at their own rates, and no model at nothing. */
class PriceTableTest {
    private static final PriceTable PRICES = PriceTable.standard();

    private static void assertPriced(String model, String family, String input, String output) {
        Priced priced = PRICES.price(model);

        assertThat(priced.family()).as(model).isEqualTo(family);
        assertThat(priced.guessed()).as(model).isFalse();
        assertThat(priced.price().input()).as(model).isEqualByComparingTo(input);
        assertThat(priced.price().output()).as(model).isEqualByComparingTo(output);
    }

    @Test
    void eachFamilyIsPricedByTheLongestPrefixOfTheModelId() {
        assertPriced("claude-opus-4-5-20251101", "claude-opus-4-5", "5", "25");
        assertPriced("claude-opus-4-1-20250805", "claude-opus-4-1", "15", "75");
        assertPriced("claude-opus-4-20250514", "claude-opus-4", "15", "75");
        assertPriced("claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "3", "15");
        assertPriced("claude-sonnet-4-20250514", "claude-sonnet-4", "3", "15");
        assertPriced("claude-3-7-sonnet-20250219", "claude-3-7-sonnet", "3", "15");
        assertPriced("claude-haiku-4-5-20251001", "claude-haiku-4-5", "1", "5");
        assertPriced("claude-3-5-haiku-20241022", "claude-3-5-haiku", "0.80", "4");
        assertPriced("claude-3-haiku-20240307", "claude-3-haiku", "0.25", "1.25");
        assertPriced("claude-sonnet-4-5", "claude-sonnet-4-5", "3", "15");
    }

    @Test
    void cacheWritesAndReadsArePricedFromTheInputPrice() {
        Price sonnet = PRICES.price("claude-sonnet-4-5").price();

        assertThat(sonnet.cacheWrite5m()).isEqualByComparingTo("3.75");
        assertThat(sonnet.cacheWrite1h()).isEqualByComparingTo("6");
        assertThat(sonnet.cacheRead()).isEqualByComparingTo("0.30");
    }

    @Test
    void aUsageCostsEachKindOfTokenAtItsOwnRateWorkedOutByHand() {
        // claude-sonnet-4-5, dollars per million: in 3, out 15, 5m write 3.75, 1h write 6, read 0.30
        //   1,000 in × 3 = 3,000;  500 out × 15 = 7,500;  2,000 5m × 3.75 = 7,500;
        //   1,000 1h × 6 = 6,000;  10,000 read × 0.30 = 3,000;  sum 27,000 per million = $0.027
        Usage usage = new Usage("claude-sonnet-4-5-20250929", 1_000, 500, 3_000, 10_000, 1_000);

        assertThat(PRICES.cost(usage)).isEqualByComparingTo("0.027");
    }

    @Test
    void aOneHourWriteCostsMoreThanAFiveMinuteOneAndAReadLessThanInput() {
        BigDecimal fiveMinute = PRICES.cost(new Usage("claude-opus-4-5", 0, 0, 1_000_000, 0, 0));
        BigDecimal oneHour = PRICES.cost(new Usage("claude-opus-4-5", 0, 0, 1_000_000, 0, 1_000_000));
        BigDecimal read = PRICES.cost(Usage.of("claude-opus-4-5", 0, 0, 0, 1_000_000));

        assertThat(fiveMinute).isEqualByComparingTo("6.25");
        assertThat(oneHour).isEqualByComparingTo("10");
        assertThat(read).isEqualByComparingTo("0.5");
    }

    @Test
    void aModelNoFamilyMatchesIsPricedAtTheDearestAndSaysItWasGuessed() {
        for (String model : new String[] {"claude-future-9", Usage.UNKNOWN_MODEL, "", "gpt-4o"}) {
            Priced priced = PRICES.price(model);

            assertThat(priced.guessed()).as(model).isTrue();
            assertThat(priced.family()).as(model).isEqualTo("claude-opus-4");
            assertThat(priced.price()).isEqualTo(Price.of("15", "75"));
        }
        assertThat(PRICES.cost(Usage.of("claude-future-9", 1_000_000, 1_000_000, 0, 0))).isEqualByComparingTo("90");
    }

    @Test
    void overridesReplaceAFamilysPriceOrAddAFamilyAndMoveTheGuess() {
        PriceTable prices = PRICES.with(Map.of("claude-sonnet-4-5", Price.of("2", "10"),
                "claude-mythic", Price.of("20", "100")));

        assertThat(prices.price("claude-sonnet-4-5-20250929").price()).isEqualTo(Price.of("2", "10"));
        assertThat(prices.price("claude-sonnet-4-20250514").price()).isEqualTo(Price.of("3", "15"));
        assertThat(prices.price("claude-mythic-1")).isEqualTo(new Priced("claude-mythic", Price.of("20", "100"), false));
        assertThat(prices.price("unheard-of")).isEqualTo(new Priced("claude-mythic", Price.of("20", "100"), true));
        assertThat(PRICES.price("claude-sonnet-4-5").price()).isEqualTo(Price.of("3", "15"));
    }

    @Test
    void aNegativeOrNamelessPriceIsRefused() {
        assertThatThrownBy(() -> Price.of("-1", "5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PRICES.with(Map.of(" ", Price.of("1", "5")))).isInstanceOf(IllegalArgumentException.class);
    }
}
