package dev.claudebottle.cli;

import dev.claudebottle.records.RecordSummary;
import dev.claudebottle.records.Records;
import dev.claudebottle.records.Retention;
import dev.claudebottle.spi.command.InertText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bottle records}: the records bottles leave, kept after they stop. */
@Command(name = "records", mixinStandardHelpOptions = true,
        description = {"The record every bottle leaves in the state home's records/ (its gateway's, git gate's "
                + "and approvals' lines, each chained to the one before): kept after bottle stop and gc, read with "
                + "bottle logs SLUG --egress, checked with bottle logs SLUG --verify. Records are pruned by "
                + "bottle gc and bottle records prune: last written more than CLAUDE_BOTTLE_RECORDS_MAX_AGE ago "
                + "(default 90d), then the oldest until all fit CLAUDE_BOTTLE_RECORDS_MAX_SIZE (default 2g); 0 "
                + "switches a limit off; a running bottle's record is never pruned."},
        subcommands = {RecordsCommand.Ls.class, RecordsCommand.Prune.class})
final class RecordsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Records records(CliContext context) {
        return new Records(context.kernel().paths(), Clock.systemUTC());
    }

    /** Lists the records. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = {"List the records: bottle, lines, size, "
            + "first and last time, what its agent spent on the model, and whether it is tainted or still running, "
            + "then the total spent. --json: an array of objects."})
    static final class Ls implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        JsonOption json;

        Ls(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<RecordSummary> all = records(context).list();
            if (json.json) {
                Json.print(context.out(), rows(context));
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                context.out().println("no records in " + context.kernel().paths().recordsDir());
            } else {
                String format = "%-24s %8s %10s  %-20s  %-28s %s%n";
                context.out().printf(format, "BOTTLE", "LINES", "BYTES", "LAST WRITTEN", "SPENT", "");
                long tokens = 0;
                java.math.BigDecimal usd = java.math.BigDecimal.ZERO;
                for (RecordSummary r : all) {
                    var spent = spent(r);
                    context.out().printf(format, InertText.of(r.slug()), r.lines(), r.bytes(),
                            r.last().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                            spent.map(LsCommand::shown).orElse("-"),
                            (r.tainted() ? "TAINTED " : "") + (r.running() ? "running" : ""));
                    tokens += spent.map(dev.claudebottle.contract.UsageLine.Spent::tokens).orElse(0L);
                    usd = usd.add(spent.map(dev.claudebottle.contract.UsageLine.Spent::usd)
                            .orElse(java.math.BigDecimal.ZERO));
                }
                context.out().println("spent in all: " + LsCommand.shown(new dev.claudebottle.contract.UsageLine.Spent(
                        tokens, usd)));
            }
            context.out().flush();
            return ExitCodes.OK;
        }
    }

    /** Every kept record as {@code records ls --json} gives it, for scripts and for the dashboard. */
    static List<Map<String, Object>> rows(CliContext context) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RecordSummary r : records(context).list()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("slug", r.slug());
            row.put("dir", r.dir().toString());
            row.put("files", r.files());
            row.put("bytes", r.bytes());
            row.put("lines", r.lines());
            row.put("first_at", r.first().map(Object::toString).orElse(null));
            row.put("last_at", r.last().toString());
            row.put("tainted", r.tainted());
            row.put("running", r.running());
            spent(r).ifPresent(sp -> row.put("spent", Map.of("tokens", sp.tokens(), "usd",
                    sp.usd().toPlainString())));
            rows.add(row);
        }
        return rows;
    }

    private static java.util.Optional<dev.claudebottle.contract.UsageLine.Spent> spent(RecordSummary r) {
        return new dev.claudebottle.records.RecordDir(r.dir(), r.slug()).spent();
    }

    /** Prunes the records the retention no longer keeps. */
    @Command(name = "prune", mixinStandardHelpOptions = true, description = {"Remove the records the retention "
            + "(CLAUDE_BOTTLE_RECORDS_MAX_AGE, CLAUDE_BOTTLE_RECORDS_MAX_SIZE) no longer keeps; bottle gc does "
            + "this too."})
    static final class Prune implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        JsonOption json;

        Prune(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<String> removed = records(context).prune(Retention.from(context.env()));
            if (json.json) {
                Json.print(context.out(), Map.of("removed", removed));
            } else {
                removed.forEach(slug -> context.out().println("removed the record of " + slug));
                if (removed.isEmpty()) {
                    context.out().println("every record is within the retention");
                }
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
