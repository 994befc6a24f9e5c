package dev.claudebottle.cli;

import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.contract.UsageLine;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.records.RecordDir;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bottle ls}: the bottles there are. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the bottles: slug, agent, backend, state (starting, running, warm: kept ready for a "
                + "launch, see bottle warm; dead: its CLI was killed; bottle gc removes it; TAINTED once it raised an alert: a placeholder or a real value on its way to "
                + "another host, a real value in a response), when it started and what its agent spent on the model "
                + "(tokens and US dollars, as its gateway metered them). --json adds tainted, the alert and spent."})
final class LsCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JsonOption json;

    LsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<BottleRecord> bottles = context.kernel().bottles().list();
        if (json.json) {
            Json.print(context.out(), rows(context));
            return ExitCodes.OK;
        }
        PrintWriter out = context.out();
        String format = "%-22s %-14s %-13s %-17s %-31s %s%n";
        out.printf(format, "SLUG", "AGENT", "BACKEND", "STATE", "STARTED", "SPENT");
        for (BottleRecord b : bottles) {
            boolean tainted = context.kernel().bottles().alert(b.slug()).isPresent();
            out.printf(format, b.slug(), b.agent(), b.backend(), b.state() + (tainted ? " TAINTED" : ""),
                    b.startedAt(), spent(b.slug()).map(LsCommand::shown).orElse("-"));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private java.util.Optional<UsageLine.Spent> spent(String slug) {
        return spent(context, slug);
    }

    private static java.util.Optional<UsageLine.Spent> spent(CliContext context, String slug) {
        return new RecordDir(context.kernel().paths().recordDir(slug), slug).spent();
    }

    /** The limits of a running bottle's budget, as its gateway holds them, if it has any. */
    private static java.util.Optional<Map<String, Object>> budget(CliContext context, String slug) {
        java.nio.file.Path file = context.kernel().paths().bottleDir(slug).resolve(BudgetFile.IN_STATE_DIR);
        try {
            if (!java.nio.file.Files.isRegularFile(file) || java.nio.file.Files.size(file) > 64 * 1024) {
                return java.util.Optional.empty();
            }
            BudgetFile.Budget budget = BudgetFile.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(file.toFile(), Object.class));
            Map<String, Object> limits = new LinkedHashMap<>();
            budget.tokens().ifPresent(t -> limits.put("tokens", t));
            budget.usd().ifPresent(u -> limits.put("usd", u.toPlainString()));
            budget.warnAtPercent().ifPresent(w -> limits.put("warn_at_percent", w));
            return limits.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(limits);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Every bottle as {@code --json} gives it, for scripts and for the dashboard. */
    static List<Map<String, Object>> rows(CliContext context) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BottleRecord b : context.kernel().bottles().list()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("slug", b.slug());
            row.put("agent", b.agent());
            row.put("bottle", b.bottle());
            row.put("backend", b.backend());
            row.put("state", b.state());
            row.put("started_at", b.startedAt().toString());
            row.put("detached", b.owner() == 0);
            row.put("warm", dev.claudebottle.warm.WarmPool.warm(b));
            var alert = context.kernel().bottles().alert(b.slug());
            row.put("tainted", alert.isPresent());
            alert.ifPresent(a -> row.put("alert", Map.of("at", a.at().toString(), "rule", a.rule(),
                    "reason", a.reason())));
            row.put("manifest", b.manifest());
            spent(context, b.slug()).ifPresent(sp -> row.put("spent", Map.of("tokens", sp.tokens(), "usd",
                    sp.usd().toPlainString())));
            budget(context, b.slug()).ifPresent(budget -> row.put("budget", budget));
            new RecordDir(context.kernel().paths().recordDir(b.slug()), b.slug()).verified().ifPresent(v ->
                    row.put("verified", Map.of("at", v.at().toString(), "result", v.result())));
            rows.add(row);
        }
        return rows;
    }

    /** {@code 1,204,000 tokens, $4.10}. */
    static String shown(UsageLine.Spent spent) {
        return String.format(java.util.Locale.ROOT, "%,d tokens, $%s", spent.tokens(),
                spent.usd().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
    }
}
