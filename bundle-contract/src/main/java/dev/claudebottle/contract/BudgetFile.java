package dev.claudebottle.contract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bottle's agent may spend on the model ({@code budget:} in the manifest), as the gateway
 * reads it from {@link BundleLayout#BUDGET_FILE}: it meters every Messages API call and refuses the
 * next one once the budget is spent. A file of its own, beside the policy, so that raising the
 * budget of a running bottle rewrites it alone. Money is in US dollars, kept as decimal text.
 */
public final class BudgetFile {
    /** The format this build writes and reads. */
    public static final int VERSION = 1;
    /**
     * Where the host keeps a running bottle's budget, under its state dir: the file the gateway's
     * policy dir mounts, which {@code bottle budget} rewrites and {@code bottle ls} reads.
     */
    public static final String IN_STATE_DIR = "gateway/budget.json";

    /**
     * Anthropic's list prices per model family, in US dollars per million tokens (its pricing page,
     * November 2025): what the gateway prices a call at unless the budget gives the family a price of
     * its own. A model is priced by the longest family its id starts with.
     */
    public static final List<Price> LIST_PRICES = List.of(
            Price.of("claude-opus-4-5", "5", "25"),
            Price.of("claude-opus-4-1", "15", "75"),
            Price.of("claude-opus-4", "15", "75"),
            Price.of("claude-sonnet-4-5", "3", "15"),
            Price.of("claude-sonnet-4", "3", "15"),
            Price.of("claude-3-7-sonnet", "3", "15"),
            Price.of("claude-haiku-4-5", "1", "5"),
            Price.of("claude-3-5-haiku", "0.80", "4"),
            Price.of("claude-3-haiku", "0.25", "1.25"));

    private BudgetFile() {
    }

    /**
     * A budget.
     *
     * @param tokens        the most input, output and cache tokens together, if limited
     * @param usd           the most dollars, priced per model, if limited
     * @param warnAtPercent the share of a limit at which the person is told, if any
     * @param prices        per-model prices that replace the shipped ones
     */
    public record Budget(Optional<Long> tokens, Optional<BigDecimal> usd, Optional<Integer> warnAtPercent,
                         List<Price> prices) {
        /** Requires every part and copies the prices. */
        public Budget {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(usd, "usd");
            Objects.requireNonNull(warnAtPercent, "warnAtPercent");
            prices = List.copyOf(prices);
        }

        /** A budget with no limit: calls are metered, none refused. */
        public static final Budget UNLIMITED = new Budget(Optional.empty(), Optional.empty(), Optional.empty(),
                List.of());

        /**
         * Whether a call to {@code model} is priced by a family, this budget's own or a listed one;
         * one that is not is priced at the dearest family.
         */
        public boolean prices(String model) {
            return java.util.stream.Stream.concat(prices.stream(), LIST_PRICES.stream())
                    .anyMatch(p -> model.startsWith(p.model()));
        }
    }

    /**
     * A model's price, in US dollars per million tokens; cache writes and reads follow from the input price.
     *
     * @param model  the model id, or the start of it (a family: {@code claude-sonnet-4-5})
     * @param input  per million input tokens
     * @param output per million output tokens
     */
    public record Price(String model, BigDecimal input, BigDecimal output) {
        /** Requires every part. */
        public Price {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
        }

        /** A price from its decimal texts. */
        public static Price of(String model, String input, String output) {
            return new Price(model, new BigDecimal(input), new BigDecimal(output));
        }
    }

    /** The JSON tree of {@code budget}. */
    public static Map<String, Object> toJson(Budget budget) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VERSION);
        budget.tokens().ifPresent(t -> json.put("tokens", t));
        budget.usd().ifPresent(u -> json.put("usd", u.toPlainString()));
        budget.warnAtPercent().ifPresent(w -> json.put("warn_at_percent", w));
        List<Map<String, Object>> prices = new ArrayList<>();
        for (Price p : budget.prices()) {
            Map<String, Object> price = new LinkedHashMap<>();
            price.put("model", p.model());
            price.put("input", p.input().toPlainString());
            price.put("output", p.output().toPlainString());
            prices.add(price);
        }
        json.put("prices", prices);
        return json;
    }

    /**
     * The budget of a JSON tree as {@link #toJson} writes it.
     *
     * @throws IllegalArgumentException naming the first part that is not what this version writes
     */
    public static Budget fromJson(Object tree) {
        JsonTree root = new JsonTree("the budget", tree);
        if (!root.get("version").isNumber(VERSION)) {
            throw new IllegalArgumentException("it is not a version " + VERSION + " budget");
        }
        long tokens = root.get("tokens").number(0);
        long warnAt = root.get("warn_at_percent").number(0);
        List<Price> prices = new ArrayList<>();
        List<Object> entries = root.get("prices").listOrEmpty();
        for (int i = 0; i < entries.size(); i++) {
            JsonTree p = new JsonTree("prices[" + i + "]", entries.get(i));
            prices.add(new Price(p.get("model").text(), decimal(p.get("input")), decimal(p.get("output"))));
        }
        return new Budget(tokens > 0 ? Optional.of(tokens) : Optional.empty(),
                root.get("usd").optionalText().map(BudgetFile::decimal),
                warnAt > 0 ? Optional.of((int) warnAt) : Optional.empty(), prices);
    }

    private static BigDecimal decimal(JsonTree node) {
        return decimal(node.text());
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a decimal number");
        }
    }
}
