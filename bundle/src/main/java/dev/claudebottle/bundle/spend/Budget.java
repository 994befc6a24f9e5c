package dev.claudebottle.bundle.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A bottle's budget: a limit on tokens, on US dollars, or both, and the fraction of either at
 * which the person is warned. A bottle without a limit is never spent.
 *
 * @param tokens the most tokens of every kind together, if limited
 * @param usd the most US dollars, if limited
 * @param warnAt the fraction of a limit (0 &lt; f &le; 1) from which the spend is worth a warning
 */
public record Budget(OptionalLong tokens, Optional<BigDecimal> usd, Optional<BigDecimal> warnAt) {
    /** No limit at all. */
    public static final Budget NONE = new Budget(OptionalLong.empty(), Optional.empty(), Optional.empty());

    public Budget {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(usd, "usd");
        Objects.requireNonNull(warnAt, "warnAt");
        if (tokens.isPresent() && tokens.getAsLong() <= 0) {
            throw new IllegalArgumentException("a token limit must be above 0, not " + tokens.getAsLong());
        }
        if (usd.isPresent() && usd.get().signum() <= 0) {
            throw new IllegalArgumentException("a dollar limit must be above 0, not " + usd.get());
        }
        if (warnAt.isPresent() && (warnAt.get().signum() <= 0 || warnAt.get().compareTo(BigDecimal.ONE) > 0)) {
            throw new IllegalArgumentException("warn_at must be above 0 and at most 1 (100%), not " + warnAt.get());
        }
    }

    /** How a total stands against a budget. */
    public enum Verdict {
        /** Below every limit and below the warning point of each. */
        UNDER,
        /** At or past the warning point of a limit, but below every limit. */
        WARN,
        /** At or past a limit. */
        SPENT
    }

    /** This budget with a token limit. */
    public Budget withTokens(long limit) {
        return new Budget(OptionalLong.of(limit), usd, warnAt);
    }

    /** This budget with a dollar limit. */
    public Budget withUsd(BigDecimal limit) {
        return new Budget(tokens, Optional.of(limit), warnAt);
    }

    /** This budget warning from {@code fraction} of a limit on. */
    public Budget withWarnAt(BigDecimal fraction) {
        return new Budget(tokens, usd, Optional.of(fraction));
    }

    /** How {@code total} stands against this budget. */
    public Verdict check(Total total) {
        BigDecimal spentTokens = BigDecimal.valueOf(total.tokens());
        Optional<BigDecimal> tokenLimit = tokens.isPresent() ? Optional.of(BigDecimal.valueOf(tokens.getAsLong()))
                : Optional.empty();
        if (reached(spentTokens, tokenLimit, BigDecimal.ONE) || reached(total.dollars(), usd, BigDecimal.ONE)) {
            return Verdict.SPENT;
        }
        if (warnAt.isPresent() && (reached(spentTokens, tokenLimit, warnAt.get())
                || reached(total.dollars(), usd, warnAt.get()))) {
            return Verdict.WARN;
        }
        return Verdict.UNDER;
    }

    private static boolean reached(BigDecimal spent, Optional<BigDecimal> limit, BigDecimal fraction) {
        return limit.isPresent() && spent.compareTo(limit.get().multiply(fraction)) >= 0;
    }

    /** One line for a person: what was spent against what budget, as "1,204,000 of 1,000,000 tokens; $4.10 of $5.00". */
    public String describe(Total total) {
        List<String> parts = new ArrayList<>();
        String spentTokens = String.format(Locale.ROOT, "%,d", total.tokens());
        parts.add(tokens.isPresent() ? String.format(Locale.ROOT, "%s of %,d tokens", spentTokens, tokens.getAsLong())
                : spentTokens + " tokens");
        // rounded down, so "$5.00 of $5.00" is only ever read when the budget is spent
        String spentDollars = dollars(total.dollars().setScale(2, RoundingMode.DOWN));
        parts.add(usd.isPresent() ? spentDollars + " of " + dollars(usd.get()) : spentDollars);
        return String.join("; ", parts);
    }

    private static String dollars(BigDecimal amount) {
        int scale = Math.max(2, amount.stripTrailingZeros().scale());
        return String.format(Locale.ROOT, "$%,." + scale + "f", amount);
    }
}
