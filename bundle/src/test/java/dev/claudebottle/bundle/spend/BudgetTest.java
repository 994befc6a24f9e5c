package dev.claudebottle.bundle.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.bundle.spend.Budget.Verdict;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A budget is spent exactly at its limit, warns from its warning point, and tells a person where it stands. */
class BudgetTest {
    private static final Budget TOKENS = Budget.NONE.withTokens(1_000).withWarnAt(new BigDecimal("0.8"));
    private static final Budget DOLLARS = Budget.NONE.withUsd(new BigDecimal("5")).withWarnAt(new BigDecimal("0.8"));

    private static Total tokens(long input) {
        return new Total(input, 0, 0, 0, 0, BigDecimal.ZERO);
    }

    private static Total dollars(String amount) {
        return new Total(0, 0, 0, 0, 0, new BigDecimal(amount));
    }

    @Test
    void aTokenLimitIsSpentExactlyAtItAndWarnsFromItsWarningPoint() {
        assertThat(TOKENS.check(tokens(0))).isEqualTo(Verdict.UNDER);
        assertThat(TOKENS.check(tokens(799))).isEqualTo(Verdict.UNDER);
        assertThat(TOKENS.check(tokens(800))).isEqualTo(Verdict.WARN);
        assertThat(TOKENS.check(tokens(999))).isEqualTo(Verdict.WARN);
        assertThat(TOKENS.check(tokens(1_000))).isEqualTo(Verdict.SPENT);
        assertThat(TOKENS.check(new Total(250, 250, 250, 125, 125, BigDecimal.ZERO))).isEqualTo(Verdict.SPENT);
    }

    @Test
    void aDollarLimitIsSpentExactlyAtIt() {
        assertThat(DOLLARS.check(dollars("3.99999999"))).isEqualTo(Verdict.UNDER);
        assertThat(DOLLARS.check(dollars("4.00"))).isEqualTo(Verdict.WARN);
        assertThat(DOLLARS.check(dollars("4.99999999"))).isEqualTo(Verdict.WARN);
        assertThat(DOLLARS.check(dollars("5.000"))).isEqualTo(Verdict.SPENT);
    }

    @Test
    void eitherLimitSpendsABudgetWithBoth() {
        Budget both = Budget.NONE.withTokens(1_000).withUsd(new BigDecimal("5"));

        assertThat(both.check(new Total(999, 0, 0, 0, 0, new BigDecimal("4.99")))).isEqualTo(Verdict.UNDER);
        assertThat(both.check(new Total(1_000, 0, 0, 0, 0, new BigDecimal("0.01")))).isEqualTo(Verdict.SPENT);
        assertThat(both.check(new Total(1, 0, 0, 0, 0, new BigDecimal("5")))).isEqualTo(Verdict.SPENT);
    }

    @Test
    void withoutAWarningPointOrALimitThereIsNoWarning() {
        assertThat(Budget.NONE.withTokens(1_000).check(tokens(999))).isEqualTo(Verdict.UNDER);
        assertThat(Budget.NONE.check(tokens(Long.MAX_VALUE))).isEqualTo(Verdict.UNDER);
        assertThat(Budget.NONE.withTokens(1_000).withWarnAt(BigDecimal.ONE).check(tokens(999))).isEqualTo(Verdict.UNDER);
    }

    @Test
    void aPersonReadsWhatWasSpentAgainstWhatBudget() {
        Budget both = Budget.NONE.withTokens(1_000_000).withUsd(new BigDecimal("5"));

        assertThat(both.describe(new Total(1_200_000, 4_000, 0, 0, 0, new BigDecimal("4.1"))))
                .isEqualTo("1,204,000 of 1,000,000 tokens; $4.10 of $5.00");
        assertThat(Budget.NONE.describe(new Total(1_234, 0, 0, 0, 0, new BigDecimal("1234.5"))))
                .isEqualTo("1,234 tokens; $1,234.50");
        assertThat(Budget.NONE.withUsd(new BigDecimal("0.005")).describe(dollars("0.0049999")))
                .isEqualTo("0 tokens; $0.00 of $0.005");
    }

    @Test
    void dollarsShownAreRoundedDownSoAFullBudgetIsOnlyShownWhenSpent() {
        assertThat(DOLLARS.describe(dollars("4.999"))).isEqualTo("0 tokens; $4.99 of $5.00");
    }

    @Test
    void limitsAndWarningPointsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> Budget.NONE.withTokens(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.NONE.withUsd(new BigDecimal("-1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.NONE.withWarnAt(BigDecimal.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.NONE.withWarnAt(new BigDecimal("1.01"))).isInstanceOf(IllegalArgumentException.class);
    }
}
