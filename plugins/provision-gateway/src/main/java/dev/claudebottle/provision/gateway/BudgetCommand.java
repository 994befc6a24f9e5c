package dev.claudebottle.provision.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.contract.UsageLine;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.Manifests;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.InertText;
import dev.claudebottle.spi.command.OptionDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * {@code bottle budget SLUG}: what a running bottle may spend on the model and has spent; with
 * {@code --tokens}, {@code --usd} or {@code --warn-at}, a new budget its gateway holds at once.
 */
@Extension
public final class BudgetCommand implements PluginCommand {
    private static final ParameterDef SLUG = new ParameterDef("SLUG", "The running bottle (bottle ls shows them).",
            true);
    private static final OptionDef TOKENS = OptionDef.value("--tokens", "N", "The most input, output and cache "
            + "tokens together; 0 takes the token limit away.");
    private static final OptionDef USD = OptionDef.value("--usd", "X", "The most US dollars, priced per model; 0 "
            + "takes the dollar limit away.");
    private static final OptionDef WARN_AT = OptionDef.value("--warn-at", "P%", "The share of a limit at which the "
            + "record and the person's terminal are told, like 80%.");
    private static final OptionDef RELOAD = OptionDef.flag("--reload", "Take the budget from the bottle's manifest "
            + "as it reads now, after its budget section was edited; --tokens, --usd or --warn-at still go over it.");
    private static final Pattern PERCENT = Pattern.compile("([1-9][0-9]?|100)%?");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BottlePaths paths;
    private final Manifests manifests;
    private final GatewayPolicyWriter writer = new GatewayPolicyWriter();

    /** Created by the kernel's injector. */
    @Inject
    public BudgetCommand(BottlePaths paths, Manifests manifests) {
        this.paths = paths;
        this.manifests = manifests;
    }

    @Override
    public CommandDef definition() {
        return CommandDef.leaf("budget", "Show what a running bottle may spend on the model and what it spent; "
                + "with --tokens, --usd or --warn-at, change its budget: its gateway holds the new one at once, and "
                + "a bottle whose budget was spent goes on once it is raised; with --reload, take it from the "
                + "bottle's manifest as edited.", List.of(TOKENS, USD, WARN_AT, RELOAD, OptionDef.JSON), List.of(SLUG), this::budget);
    }

    private int budget(CommandCall call) {
        String slug = call.parameter(SLUG.label()).orElseThrow();
        Path file = paths.bottleDir(slug).resolve(BudgetFile.IN_STATE_DIR);
        if (!slug.matches("[a-z0-9][a-z0-9-]{0,62}") || !Files.isRegularFile(file)) {
            throw new BadInputException("no running bottle " + InertText.of(slug) + " with a gateway",
                    "bottle ls lists the bottles");
        }
        BudgetFile.Budget budget;
        try {
            budget = BudgetFile.fromJson(JSON.readValue(file.toFile(), Object.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(file + " cannot be read: " + e.getMessage(), "start the bottle again");
        }
        Optional<String> tokens = call.option(TOKENS.name());
        Optional<String> usd = call.option(USD.name());
        Optional<String> warnAt = call.option(WARN_AT.name());
        boolean reload = call.flag(RELOAD.name());
        if (reload) {
            // the manifest is read with every section, so an edit that does not load is an error at its line
            budget = manifests.bottleOf(slug).orElseThrow(() -> new BadInputException("bottle " + slug + " is not "
                    + "running here, so its manifest is not known", "bottle ls lists the bottles"))
                    .section(BudgetSection.KEY, BudgetFile.Budget.class).orElse(BudgetFile.Budget.UNLIMITED);
        }
        if (reload || tokens.isPresent() || usd.isPresent() || warnAt.isPresent()) {
            budget = new BudgetFile.Budget(tokens.map(BudgetCommand::tokens).orElse(budget.tokens()),
                    usd.map(BudgetCommand::usd).orElse(budget.usd()),
                    warnAt.map(BudgetCommand::percent).orElse(budget.warnAtPercent()), budget.prices());
            try {
                writer.write(BudgetFile.toJson(budget), file);
            } catch (IOException e) {
                throw new BadInputException("cannot write " + file + ": " + e.getMessage(), "check the bottle's "
                        + "state dir");
            }
        }
        UsageLine.Spent spent = spent(paths.recordDir(slug).resolve(UsageLine.SPENT_FILE));
        if (call.flag(OptionDef.JSON.name())) {
            Map<String, Object> json = new LinkedHashMap<>(BudgetFile.toJson(budget));
            json.remove("version");
            json.put("spent", spent.toJson());
            call.printJson(json);
        } else {
            call.out().println(slug + ": budget " + BudgetLine.of(budget) + "; spent "
                    + String.format(java.util.Locale.ROOT, "%,d tokens, $%s", spent.tokens(),
                    spent.usd().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString()));
        }
        call.out().flush();
        return 0;
    }

    /** What the bottle spent, as its gateway last wrote it beside its record; nothing before its first call. */
    private static UsageLine.Spent spent(Path file) {
        try {
            return Files.isRegularFile(file) ? UsageLine.Spent.fromJson(JSON.readValue(file.toFile(), Object.class))
                    : UsageLine.Spent.NONE;
        } catch (IOException | IllegalArgumentException e) {
            return UsageLine.Spent.NONE;
        }
    }

    private static Optional<Long> tokens(String text) {
        try {
            long n = Long.parseLong(text.replace(",", "").replace("_", ""));
            if (n >= 0) {
                return n == 0 ? Optional.empty() : Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new BadInputException("--tokens: expected a whole number of tokens, found '" + InertText.of(text) + "'",
                "like --tokens 2000000, or 0 for no token limit");
    }

    private static Optional<BigDecimal> usd(String text) {
        try {
            BigDecimal v = new BigDecimal(text.startsWith("$") ? text.substring(1) : text);
            if (v.signum() >= 0) {
                return v.signum() == 0 ? Optional.empty() : Optional.of(v);
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new BadInputException("--usd: expected an amount in US dollars, found '" + InertText.of(text) + "'",
                "like --usd 5.00, or 0 for no dollar limit");
    }

    private static Optional<Integer> percent(String text) {
        Matcher m = PERCENT.matcher(text);
        if (m.matches()) {
            return Optional.of(Integer.parseInt(m.group(1)));
        }
        throw new BadInputException("--warn-at: expected a percentage from 1% to 100%, found '" + InertText.of(text)
                + "'", "like --warn-at 80%");
    }
}
