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
 * whether the budget is spent, for the gateway to refuse the next call. The budget is read from its
 * file again (at most once a second) when the file changed, so a budget raised for a running
 * bottle holds at once; what was spent is kept across the change.
 */
public final class Metering {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    private final Optional<Path> budgetFile;
    private final Optional<Path> spentFile;
    private final AuditLog audit;
    private final String slug;
    private final Clock clock;
    private Budget budget = Budget.NONE;
    private Spend spend = new Spend(PriceTable.standard());
    private Optional<FileTime> seen = Optional.empty();
    private Instant lookedAt = Instant.MIN;
    private boolean warned;
    private boolean told;

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
            } catch (IOException | IllegalArgumentException e) {
                // a total that does not read starts from nothing; the record keeps every call's line
            }
        });
    }

    /** Meters with no budget: every call is counted, none refused. */
    public static Metering unlimited(AuditLog audit, String slug) {
        return new Metering(Optional.empty(), audit, slug, Clock.systemUTC());
    }

    /** Why the next call is refused, if the budget is spent; a line for a person. */
    public synchronized Optional<String> spent() {
        reloadIfChanged();
        Total total = spend.total();
        if (budget.check(total) != Budget.Verdict.SPENT) {
            return Optional.empty();
        }
        return Optional.of("this bottle's budget is spent (" + budget.describe(total) + "); the person can raise it "
                + "with bottle budget " + slug + ", or in the manifest's budget section");
    }

    /** Adds one call's usage, writes its line, and says so once when the warning share is reached. */
    public void add(Usage usage) {
        Total before;
        Total after;
        Budget now;
        synchronized (this) {
            reloadIfChanged();
            before = spend.total();
            after = spend.add(usage);
            now = budget;
        }
        BigDecimal cost = after.dollars().subtract(before.dollars());
        keep(new UsageLine.Spent(after.tokens(), after.dollars()));
        audit.write(new UsageLine(clock.instant(), slug, usage.model(), usage.total(), cost, after.tokens(),
                after.dollars(), "input " + usage.inputTokens() + ", output " + usage.outputTokens() + ", cache write "
                + usage.cacheCreationTokens() + ", cache read " + usage.cacheReadTokens()
                + (PriceTable.standard().price(usage.model()).guessed() ? "; priced as the dearest model: "
                + "the price table does not know " + usage.model() : "")).toJson());
        Budget.Verdict verdict = now.check(after);
        boolean first;
        synchronized (this) {
            // one line when the warning share is reached, one when the budget is spent
            first = verdict == Budget.Verdict.WARN && !warned || verdict == Budget.Verdict.SPENT && !told;
            warned |= verdict != Budget.Verdict.UNDER;
            told |= verdict == Budget.Verdict.SPENT;
        }
        if (first) {
            audit.write(new AuditRecord(clock.instant(), slug, "gateway", "budget", "", "", 0, "",
                    verdict == Budget.Verdict.SPENT ? "deny" : "warn", "budget", "the bottle has spent "
                    + now.describe(after) + (verdict == Budget.Verdict.SPENT ? ": the next call is refused" : ""),
                    0, 0, 0, 0));
        }
    }

    /** Writes the running total whole (a reader never sees half of it); one that cannot be written is left. */
    private synchronized void keep(UsageLine.Spent spent) {
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

    private void reloadIfChanged() {
        Instant now = clock.instant();
        if (budgetFile.isEmpty() || lookedAt.plus(LOOK_EVERY).isAfter(now)) {
            return;
        }
        lookedAt = now;
        Optional<FileTime> stamp;
        try {
            stamp = Optional.of(Files.getLastModifiedTime(budgetFile.get()));
        } catch (IOException e) {
            stamp = Optional.empty();
        }
        if (stamp.equals(seen)) {
            return;
        }
        seen = stamp;
        try {
            BudgetFile.Budget read = BudgetFile.fromJson(JSON.readValue(budgetFile.get().toFile(), Object.class));
            Map<String, Price> prices = new HashMap<>();
            read.prices().forEach(p -> prices.put(p.model(), new Price(p.input(), p.output())));
            budget = new Budget(read.tokens().map(OptionalLong::of).orElse(OptionalLong.empty()), read.usd(),
                    read.warnAtPercent().map(w -> BigDecimal.valueOf(w).movePointLeft(2)));
            spend = Spend.resume(PriceTable.standard().with(prices), spend.total());
            warned = budget.check(spend.total()) != Budget.Verdict.UNDER;
            told = budget.check(spend.total()) == Budget.Verdict.SPENT;
        } catch (IOException | IllegalArgumentException e) {
            // the file half written, or gone: the budget in force stays until it reads again
            seen = Optional.empty();
        }
    }
}
