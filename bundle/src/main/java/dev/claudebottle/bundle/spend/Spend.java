package dev.claudebottle.bundle.spend;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One bottle's running spend: every response's usage is added as its connection finishes, from
 * any number of connections at once, and priced by the bottle's price table. Totals are kept per
 * model too.
 */
public final class Spend {
    /** The model the usage of any model past the first {@link #MODELS} is kept under. */
    public static final String OTHER_MODELS = "other";
    /** How many models are kept apart: the ids come from responses, so their number is capped. */
    static final int MODELS = 64;

    private final PriceTable prices;
    private final Object lock = new Object();
    private Total total;
    private final Map<String, Total> byModel = new LinkedHashMap<>();

    /** A spend of nothing yet. */
    public Spend(PriceTable prices) {
        this(prices, Total.ZERO);
    }

    private Spend(PriceTable prices, Total previous) {
        this.prices = Objects.requireNonNull(prices, "prices");
        this.total = Objects.requireNonNull(previous, "previous");
    }

    /**
     * The spend of a bottle restarted from its record, which starts from what it had spent; its
     * totals per model hold only what is added from now on.
     */
    public static Spend resume(PriceTable prices, Total previous) {
        return new Spend(prices, previous);
    }

    /** Adds one response's usage; the bottle's total with it. */
    public Total add(Usage usage) {
        BigDecimal cost = prices.cost(usage);
        synchronized (lock) {
            String model = byModel.containsKey(usage.model()) || byModel.size() < MODELS ? usage.model() : OTHER_MODELS;
            byModel.put(model, byModel.getOrDefault(model, Total.ZERO).plus(usage, cost));
            total = total.plus(usage, cost);
            return total;
        }
    }

    /** The bottle's total so far. */
    public Total total() {
        synchronized (lock) {
            return total;
        }
    }

    /** The totals per model since this spend began, in the order the models were first seen. */
    public Map<String, Total> byModel() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(byModel));
        }
    }
}
