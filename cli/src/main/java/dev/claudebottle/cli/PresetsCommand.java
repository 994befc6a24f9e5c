package dev.claudebottle.cli;

import dev.claudebottle.contract.EgressPresets;
import dev.claudebottle.spi.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bottle presets}: the egress presets a bottle can name, and their rules. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = {"The egress presets a bottle names in egress.presets: for each everyday tool, the hosts it "
                + "uses and the methods it needs, read-only unless the name says otherwise (npm-publish). A preset's "
                + "rules come after the bottle's own, for public addresses only."},
        subcommands = {PresetsCommand.Ls.class, PresetsCommand.Show.class})
final class PresetsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Map<String, Object> json(EgressPresets.Preset p, boolean rules) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", p.name());
        row.put("version", p.version());
        row.put("what", p.what());
        row.put("checked_with", p.checkedWith());
        row.put("way_out", p.wayOut().orElse(null));
        if (rules) {
            row.put("rules", p.rules().stream().map(r -> Map.of("host", r.host(), "ports", r.ports(), "methods",
                    r.methods(), "paths", r.paths())).toList());
        }
        return row;
    }

    /** Lists the presets. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = {"List the presets: name, version, what "
            + "each is for."})
    static final class Ls implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        JsonOption json;

        Ls(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (json.json) {
                Json.print(context.out(), EgressPresets.all().stream().map(p -> json(p, false)).toList());
                return ExitCodes.OK;
            }
            for (EgressPresets.Preset p : EgressPresets.all()) {
                context.out().printf("%-14s v%-3d %s%n", p.name(), p.version(), p.what());
            }
            context.out().flush();
            return ExitCodes.OK;
        }
    }

    /** Shows one preset's rules. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Show a preset's rules and the tool "
            + "versions they were checked against."})
    static final class Show implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        JsonOption json;

        @Parameters(paramLabel = "NAME", description = "The preset (bottle presets ls lists them).")
        String name;

        Show(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            EgressPresets.Preset p = EgressPresets.named(name).orElseThrow(() -> new BadInputException("no preset "
                    + dev.claudebottle.spi.command.InertText.of(name), "bottle presets ls lists them: "
                    + String.join(", ", EgressPresets.all().stream().map(EgressPresets.Preset::name).toList())));
            if (json.json) {
                Json.print(context.out(), json(p, true));
                return ExitCodes.OK;
            }
            context.out().println(p.name() + " v" + p.version() + ": " + p.what());
            context.out().println("checked with " + p.checkedWith());
            for (EgressPresets.Rule r : p.rules()) {
                context.out().println("  " + r.text() + "  (public addresses only)");
            }
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
