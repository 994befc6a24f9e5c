package dev.claudebottle.provision.gateway;

import dev.claudebottle.contract.BudgetFile;
import java.util.ArrayList;
import java.util.List;

/** A budget in one line for a person: {@code 2,000,000 tokens, $5.00, warn at 80%}, or that there is none. */
final class BudgetLine {
    private BudgetLine() {
    }

    static String of(BudgetFile.Budget budget) {
        List<String> parts = new ArrayList<>();
        budget.tokens().ifPresent(t -> parts.add(String.format(java.util.Locale.ROOT, "%,d tokens", t)));
        budget.usd().ifPresent(u -> parts.add("$" + u.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString()));
        if (parts.isEmpty()) {
            return "none: calls are metered only";
        }
        budget.warnAtPercent().ifPresent(w -> parts.add("warn at " + w + "%"));
        if (!budget.prices().isEmpty()) {
            parts.add(budget.prices().size() + " price" + (budget.prices().size() == 1 ? "" : "s") + " of its own");
        }
        return String.join(", ", parts);
    }
}
