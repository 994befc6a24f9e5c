package dev.claudebottle.bundle.spend;

import dev.claudebottle.contract.BudgetFile;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Anthropic's list prices per model family, overridable per family (a manifest may give its own
 * input and output prices). A model is priced by the longest family its id starts with; a model
 * no family matches is priced at the dearest family, never at nothing, and says so.
 */
public final class PriceTable {
    /** Anthropic's list prices ({@link BudgetFile#LIST_PRICES}). */
    private static final PriceTable STANDARD = new PriceTable(BudgetFile.LIST_PRICES.stream().collect(
            java.util.stream.Collectors.toMap(BudgetFile.Price::model, p -> new Price(p.input(), p.output()))));

    private final Map<String, Price> families;
    private final String dearest;

    private PriceTable(Map<String, Price> families) {
        this.families = Map.copyOf(families);
        // output first, as output dominates a bill; the name only makes a tie come out the same every time
        this.dearest = this.families.entrySet().stream()
                .max(Comparator.comparing((Map.Entry<String, Price> family) -> family.getValue().output())
                        .thenComparing(family -> family.getValue().input())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey();
    }

    /** Anthropic's list prices. */
    public static PriceTable standard() {
        return STANDARD;
    }

    /** This table with {@code overrides} in place of (or beside) its families' prices. */
    public PriceTable with(Map<String, Price> overrides) {
        Map<String, Price> merged = new LinkedHashMap<>(families);
        overrides.forEach((family, price) -> {
            if (family == null || family.isBlank()) {
                throw new IllegalArgumentException("a price family needs a name");
            }
            merged.put(family, Objects.requireNonNull(price, family));
        });
        return new PriceTable(merged);
    }

    /** The price {@code model} is charged at. */
    public Priced price(String model) {
        String family = null;
        for (String candidate : families.keySet()) {
            if (model.startsWith(candidate) && (family == null || candidate.length() > family.length())) {
                family = candidate;
            }
        }
        return family == null ? new Priced(dearest, families.get(dearest), true) : new Priced(family, families.get(family), false);
    }

    /** What {@code usage} costs, in US dollars, exactly. */
    public BigDecimal cost(Usage usage) {
        return price(usage.model()).price().cost(usage);
    }

    /** The families and their prices. */
    public Map<String, Price> families() {
        return families;
    }
}
