package dev.claudebottle.bundle.spend;

import java.util.Objects;

/**
 * The tokens one Messages API call used, as its response reported them. Cache creation is split
 * into 5-minute and 1-hour writes, which are priced differently; a response that does not give
 * the split has all of its cache creation counted as 5-minute writes.
 *
 * @param model the model id the response named, or {@link #UNKNOWN_MODEL}
 * @param inputTokens input tokens read neither from nor into the cache
 * @param outputTokens output tokens
 * @param cacheCreationTokens input tokens written to the cache, 5-minute and 1-hour together
 * @param cacheReadTokens input tokens read from the cache
 * @param cacheCreation1hTokens the part of {@code cacheCreationTokens} written for an hour
 */
public record Usage(String model, long inputTokens, long outputTokens, long cacheCreationTokens,
        long cacheReadTokens, long cacheCreation1hTokens) {
    /** The model of a response that did not name one; no price family matches it. */
    public static final String UNKNOWN_MODEL = "unknown";

    public Usage {
        Objects.requireNonNull(model, "model");
        if (inputTokens < 0 || outputTokens < 0 || cacheCreationTokens < 0 || cacheReadTokens < 0
                || cacheCreation1hTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        if (cacheCreation1hTokens > cacheCreationTokens) {
            throw new IllegalArgumentException("1-hour cache writes (" + cacheCreation1hTokens
                    + ") exceed all cache writes (" + cacheCreationTokens + ")");
        }
    }

    /** A usage whose cache writes are all 5-minute ones. */
    public static Usage of(String model, long inputTokens, long outputTokens, long cacheCreationTokens,
            long cacheReadTokens) {
        return new Usage(model, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, 0);
    }

    /** The part of the cache writes kept for five minutes. */
    public long cacheCreation5mTokens() {
        return cacheCreationTokens - cacheCreation1hTokens;
    }

    /** All four counts together: input, output, cache writes and cache reads. */
    public long total() {
        return Counts.sum(Counts.sum(inputTokens, outputTokens), Counts.sum(cacheCreationTokens, cacheReadTokens));
    }
}
