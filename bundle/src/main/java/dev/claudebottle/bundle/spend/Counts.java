package dev.claudebottle.bundle.spend;

/** Sums of token counts that stop at the largest long instead of wrapping to a negative spend. */
final class Counts {
    private Counts() {
    }

    static long sum(long a, long b) {
        long sum = a + b;
        // both are never negative, so only an overflow makes the sum negative
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
