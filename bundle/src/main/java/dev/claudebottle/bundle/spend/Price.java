package dev.claudebottle.bundle.spend;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model family charges, in US dollars per million tokens. Cache prices follow from the
 * input price as Anthropic sets them: a 5-minute write costs 1.25 times input, a 1-hour write
 * twice input, a cache read a tenth of it.
 *
 * @param input dollars per million input tokens
 * @param output dollars per million output tokens
 */
public record Price(BigDecimal input, BigDecimal output) {
    private static final BigDecimal FIVE_MINUTE_WRITE = new BigDecimal("1.25");
    private static final BigDecimal ONE_HOUR_WRITE = new BigDecimal("2");
    private static final BigDecimal READ = new BigDecimal("0.1");

    public Price {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (input.signum() < 0 || output.signum() < 0) {
            throw new IllegalArgumentException("a price cannot be negative: " + input + " in, " + output + " out");
        }
    }

    /** A price from its decimal text, as in {@code Price.of("3", "15")}. */
    public static Price of(String input, String output) {
        return new Price(new BigDecimal(input), new BigDecimal(output));
    }

    /** Dollars per million tokens written to the cache for five minutes. */
    public BigDecimal cacheWrite5m() {
        return input.multiply(FIVE_MINUTE_WRITE);
    }

    /** Dollars per million tokens written to the cache for an hour. */
    public BigDecimal cacheWrite1h() {
        return input.multiply(ONE_HOUR_WRITE);
    }

    /** Dollars per million tokens read from the cache. */
    public BigDecimal cacheRead() {
        return input.multiply(READ);
    }

    /** What {@code usage} costs at this price, exactly (no rounding). */
    public BigDecimal cost(Usage usage) {
        BigDecimal perMillion = input.multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(output.multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(cacheWrite5m().multiply(BigDecimal.valueOf(usage.cacheCreation5mTokens())))
                .add(cacheWrite1h().multiply(BigDecimal.valueOf(usage.cacheCreation1hTokens())))
                .add(cacheRead().multiply(BigDecimal.valueOf(usage.cacheReadTokens())));
        return perMillion.movePointLeft(6);
    }
}
