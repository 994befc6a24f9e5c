package dev.claudebottle.provision.gateway;

import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * The {@code budget} section of a bottle: what its agent may spend on the model before the gateway
 * refuses the next Messages API call, {@code budget: {tokens: 2000000, usd: 5.00, warn_at: 80%}},
 * with per-model prices that replace the shipped ones ({@code prices: [{model, input, output}]},
 * US dollars per million tokens).
 */
@Extension
public final class BudgetSection implements ManifestSection<BudgetFile.Budget> {
    /** The section's key. */
    public static final String KEY = "budget";
    private static final BigDecimal MAX_TOKENS = new BigDecimal("1000000000000");
    private static final BigDecimal MAX_USD = new BigDecimal("1000000");
    private static final Pattern PERCENT = Pattern.compile("([1-9][0-9]?|100)%");

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Class<BudgetFile.Budget> type() {
        return BudgetFile.Budget.class;
    }

    @Override
    public Optional<BudgetFile.Budget> read(SectionNode node) {
        Optional<SectionNode.Fields> fields = node.fields("tokens", "usd", "warn_at", "prices");
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        SectionNode.Fields f = fields.get();
        Optional<Long> tokens = f.get("tokens").flatMap(n -> n.number(BigDecimal.ONE, MAX_TOKENS).flatMap(v -> {
            if (v.stripTrailingZeros().scale() > 0) {
                n.problem("expected a whole number of tokens, found " + v.toPlainString());
                return Optional.empty();
            }
            return Optional.of(v.longValueExact());
        }));
        Optional<BigDecimal> usd = f.get("usd").flatMap(n -> n.number(new BigDecimal("0.01"), MAX_USD));
        Optional<Integer> warnAt = f.get("warn_at").flatMap(n -> n.string().flatMap(text -> {
            Matcher m = PERCENT.matcher(text);
            if (m.matches()) {
                return Optional.of(Integer.parseInt(m.group(1)));
            }
            n.problem("expected a percentage from 1% to 100%, like 80%, found '" + text + "'");
            return Optional.empty();
        }));
        List<BudgetFile.Price> prices = new ArrayList<>();
        f.get("prices").ifPresent(list -> list.list().forEach(entry -> price(entry).ifPresent(prices::add)));
        if (f.get("tokens").isEmpty() && f.get("usd").isEmpty()) {
            node.problem("expected tokens, usd or both: the budget the agent's model calls may spend");
            return Optional.empty();
        }
        return Optional.of(new BudgetFile.Budget(tokens, usd, warnAt, prices));
    }

    private static Optional<BudgetFile.Price> price(SectionNode entry) {
        return entry.fields("model", "input", "output").flatMap(p -> {
            Optional<String> model = p.require("model").flatMap(SectionNode::string);
            Optional<BigDecimal> input = p.require("input").flatMap(n -> n.number(BigDecimal.ZERO, MAX_USD));
            Optional<BigDecimal> output = p.require("output").flatMap(n -> n.number(BigDecimal.ZERO, MAX_USD));
            if (model.isEmpty() || input.isEmpty() || output.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new BudgetFile.Price(model.get(), input.get(), output.get()));
        });
    }
}
