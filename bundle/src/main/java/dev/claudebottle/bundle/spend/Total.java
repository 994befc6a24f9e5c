package dev.claudebottle.bundle.spend;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a bottle (or one model in it) has spent so far: tokens of each kind and their cost.
 *
 * @param inputTokens input tokens read neither from nor into the cache
 * @param outputTokens output tokens
 * @param cacheWrite5mTokens tokens written to the cache for five minutes
 * @param cacheWrite1hTokens tokens written to the cache for an hour
 * @param cacheReadTokens tokens read from the cache
 * @param dollars what all of it cost, in US dollars, unrounded
 */
public record Total(long inputTokens, long outputTokens, long cacheWrite5mTokens, long cacheWrite1hTokens,
        long cacheReadTokens, BigDecimal dollars) {
    /** Nothing spent. */
    public static final Total ZERO = new Total(0, 0, 0, 0, 0, BigDecimal.ZERO);

    public Total {
        Objects.requireNonNull(dollars, "dollars");
        if (inputTokens < 0 || outputTokens < 0 || cacheWrite5mTokens < 0 || cacheWrite1hTokens < 0
                || cacheReadTokens < 0 || dollars.signum() < 0) {
            throw new IllegalArgumentException("a total cannot be negative");
        }
        // one scale for one amount, so that equal spends are equal totals
        dollars = dollars.stripTrailingZeros();
        dollars = dollars.scale() < 0 ? dollars.setScale(0) : dollars;
    }

    /** All tokens of every kind. */
    public long tokens() {
        return Counts.sum(Counts.sum(Counts.sum(inputTokens, outputTokens), Counts.sum(cacheWrite5mTokens,
                cacheWrite1hTokens)), cacheReadTokens);
    }

    /** This total and {@code usage}, which cost {@code cost}. */
    public Total plus(Usage usage, BigDecimal cost) {
        return new Total(Counts.sum(inputTokens, usage.inputTokens()), Counts.sum(outputTokens, usage.outputTokens()),
                Counts.sum(cacheWrite5mTokens, usage.cacheCreation5mTokens()),
                Counts.sum(cacheWrite1hTokens, usage.cacheCreation1hTokens()),
                Counts.sum(cacheReadTokens, usage.cacheReadTokens()), dollars.add(cost));
    }
}
