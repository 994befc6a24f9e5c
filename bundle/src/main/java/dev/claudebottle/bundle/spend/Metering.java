package dev.claudebottle.bundle.spend;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.contract.UsageLine;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One bottle's spend on the model, as its gateway meters it: each call's usage priced and added up,
 * a usage line in the record for each, a line when the budget's warning share is first reached, and
 * whether the budget is spent, for the gateway to refuse the next call. The budget's file is looked
 * at every second on the meter's own thread and read again when it changed, so a budget raised for
 * a running bottle holds within a second; what was spent is kept across the change.
 */
public final class Metering implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    /** Faster than the models write, so that a cut answer is never charged less than it ran for. */
    static final long TOKENS_PER_SECOND = 250;
    /** The most output any model writes in one answer. */
    static final long MOST_OUTPUT = 128_000;
    private final Optional<Path> budgetFile;
    private final Optional<Path> spentFile;
    private final java.util.concurrent.ScheduledExecutorService writer = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "metering");
                t.setDaemon(true);
                return t;
            });
    private final AuditLog audit;
    private final String slug;
    private final Clock clock;
    private Budget budget = Budget.NONE;
    private PriceTable prices = PriceTable.standard();
    private Spend spend = new Spend(prices);
    private Optional<FileTime> seen = Optional.empty();
    private boolean warned;
    private boolean told;
    /** The last budget line, kept with the total for the host to show; written on the meter's thread only. */
    private Optional<String> notice = Optional.empty();

    /** Meters for bottle {@code slug}, its budget in {@code budgetFile} when there is one. */
    public Metering(Optional<Path> budgetFile, AuditLog audit, String slug, Clock clock) {
        this(budgetFile, Optional.empty(), audit, slug, clock);
    }

    /**
     * Meters as above, keeping the running total in {@code spentFile} too ({@link UsageLine#SPENT_FILE}),
     * and going on from the total it holds: a restarted bundle's bottle has spent what it had.
     */
    public Metering(Optional<Path> budgetFile, Optional<Path> spentFile, AuditLog audit, String slug, Clock clock) {
        this.budgetFile = budgetFile;
        this.spentFile = spentFile;
        this.audit = audit;
        this.slug = slug;
        this.clock = clock;
        spentFile.filter(Files::isRegularFile).ifPresent(f -> {
            try {
                UsageLine.Spent before = UsageLine.Spent.fromJson(JSON.readValue(f.toFile(), Object.class));
                spend = Spend.resume(PriceTable.standard(), new Total(before.tokens(), 0, 0, 0, 0, before.usd()));
                notice = before.notice();
            } catch (IOException | IllegalArgumentException e) {
                // a total that does not read starts from nothing; the record keeps every call's line
            }
        });
        // read now, then looked at again on the meter's thread: the gateway's event loops never read a file
        reloadIfChanged();
        if (budgetFile.isPresent()) {
            writer.scheduleWithFixedDelay(this::reloadIfChanged, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the budget limits anything: then calls whose cost nothing meters are not made. */
    public synchronized boolean limited() {
        return budget.tokens().isPresent() || budget.usd().isPresent();
    }

    /** Meters with no budget: every call is counted, none refused. */
    public static Metering unlimited(AuditLog audit, String slug) {
        return new Metering(Optional.empty(), audit, slug, Clock.systemUTC());
    }

    /** Why the next call is refused, if the budget is spent; a line for a person. */
    public synchronized Optional<String> spent() {
        Total total = spend.total();
        if (budget.check(total) != Budget.Verdict.SPENT) {
            return Optional.empty();
        }
        return Optional.of("this bottle's budget is spent (" + budget.describe(total) + "); the person can raise it "
                + "with bottle budget " + slug + ", or in the manifest's budget section");
    }

    /** Reads one part of a metered response on the meter's thread, in order, and releases it. */
    public void read(UsageMeter meter, io.netty.buffer.ByteBuf part) {
        try {
            writer.execute(() -> {
                try {
                    meter.feed(part);
                } finally {
                    part.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            part.release();
        }
    }

    /**
     * The metered response ended (or was cut): its usage is added once every part before was read. A
     * Messages API call ({@code said}) whose answer reported no usage is not counted, and the record
     * says so. An answer cut before the API said its output ({@link UsageMeter#estimated}) is charged
     * for the longer of the text it streamed and the time it ran ({@code took}): a model thinks, and
     * bills, more than it streams.
     */
    public void finish(UsageMeter meter, boolean said, Duration took) {
        try {
            writer.execute(() -> meter.finish().ifPresentOrElse(usage -> add(meter.estimated()
                    ? atLeast(usage, took) : usage, meter.estimated()), () -> {
                if (said) {
                    audit.write(new AuditRecord(clock.instant(), slug, "gateway", "budget", "", "", 0, "", "warn",
                            "budget", "a model call's answer reported no usage the gateway could read: it is not "
                            + "counted", 0, 0, 0, 0));
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the bundle stops: the call is in the record as a request, its usage is not
        }
    }

    /**
     * Adds one call's usage at once, so the next call is judged by it; its line in the record, the
     * line when the warning share or the budget is reached, and the running total's file are written
     * in order on the meter's own thread, off the gateway's event loops.
     */
    public void add(Usage usage) {
        add(usage, false);
    }

    /** Adds one call's usage, its output count {@code estimated} from the text streamed when so. */
    private void add(Usage usage, boolean estimated) {
        Total before;
        Total after;
        Budget now;
        boolean guessed;
        synchronized (this) {
            before = spend.total();
            after = spend.add(usage);
            now = budget;
            guessed = prices.price(usage.model()).guessed();
        }
        Budget.Verdict verdict = now.check(after);
        boolean first;
        synchronized (this) {
            // one line when the warning share is reached, one when the budget is spent
            first = verdict == Budget.Verdict.WARN && !warned || verdict == Budget.Verdict.SPENT && !told;
            warned |= verdict != Budget.Verdict.UNDER;
            told |= verdict == Budget.Verdict.SPENT;
        }
        Instant at = clock.instant();
        boolean tell = first;
        String line = "the bottle has spent " + now.describe(after) + (verdict == Budget.Verdict.SPENT
                ? ": the next call is refused" : "");
        writer.execute(() -> {
            audit.write(new UsageLine(at, slug, usage.model(), usage.total(), after.dollars().subtract(before.dollars()),
                    after.tokens(), after.dollars(), "input " + usage.inputTokens() + ", output "
                    + usage.outputTokens() + (estimated ? " (estimated from the text streamed and the time the "
                    + "answer ran: it ended before the API reported it)" : "") + ", cache write " + usage.cacheCreationTokens() + ", cache read "
                    + usage.cacheReadTokens() + (guessed ? "; priced as the dearest model: the price table does not "
                    + "know " + usage.model() : "")).toJson());
            if (tell) {
                audit.write(new AuditRecord(at, slug, "gateway", "budget", "", "", 0, "",
                        verdict == Budget.Verdict.SPENT ? "deny" : "warn", "budget", line, 0, 0, 0, 0));
                notice = Optional.of(line);
            }
            write(new UsageLine.Spent(after.tokens(), after.dollars(), notice));
        });
    }

    /**
     * {@code usage} with its output at least what a model writes in {@code took} at
     * {@link #TOKENS_PER_SECOND}, and at most {@link #MOST_OUTPUT}.
     */
    static Usage atLeast(Usage usage, Duration took) {
        long ran = Math.min(MOST_OUTPUT, Math.max(0, took.toMillis()) * TOKENS_PER_SECOND / 1000);
        return ran <= usage.outputTokens() ? usage : new Usage(usage.model(), usage.inputTokens(), ran,
                usage.cacheCreationTokens(), usage.cacheReadTokens(), usage.cacheCreation1hTokens());
    }

    /** Waits until every line and total so far is written; for a bundle that stops. */
    public void flush() {
        try {
            writer.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            // nothing of ours fails there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the newest total and stops its writer. */
    @Override
    public void close() {
        flush();
        writer.shutdown();
    }

    /** Writes the running total whole (a reader never sees half of it); one that cannot be written is left. */
    private void write(UsageLine.Spent spent) {
        if (spentFile.isEmpty()) {
            return;
        }
        Path file = spentFile.get();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(spent.toJson()));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the usage line in the record says the same; bottle ls shows the last total written
        }
    }

    /** What the bottle spent so far. */
    public synchronized Total total() {
        return spend.total();
    }

    /**
     * Reads the budget's file again if it changed since it was last read, off the lock (a slow file
     * never holds up the event loops asking whether the budget is spent), and swaps the new budget
     * in under it. Only the constructor and the meter's own thread call this, one at a time.
     */
    private void reloadIfChanged() {
        if (budgetFile.isEmpty()) {
            return;
        }
        Optional<FileTime> stamp;
        try {
            stamp = Optional.of(Files.getLastModifiedTime(budgetFile.get()));
        } catch (IOException e) {
            stamp = Optional.empty();
        }
        if (stamp.equals(seen)) {
            return;
        }
        Budget read;
        PriceTable table;
        try {
            BudgetFile.Budget file = BudgetFile.fromJson(JSON.readValue(budgetFile.get().toFile(), Object.class));
            Map<String, Price> prices = new HashMap<>();
            file.prices().forEach(p -> prices.put(p.model(), new Price(p.input(), p.output())));
            read = new Budget(file.tokens().map(OptionalLong::of).orElse(OptionalLong.empty()), file.usd(),
                    file.warnAtPercent().map(w -> BigDecimal.valueOf(w).movePointLeft(2)));
            table = PriceTable.standard().with(prices);
        } catch (IOException | RuntimeException e) {
            // the file half written, or gone: the budget in force stays until it reads again
            return;
        }
        seen = stamp;
        synchronized (this) {
            budget = read;
            this.prices = table;
            spend = Spend.resume(table, spend.total());
            warned = budget.check(spend.total()) != Budget.Verdict.UNDER;
            told = budget.check(spend.total()) == Budget.Verdict.SPENT;
        }
    }
}
