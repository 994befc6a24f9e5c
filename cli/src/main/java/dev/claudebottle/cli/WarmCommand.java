package dev.claudebottle.cli;

import dev.claudebottle.warm.WarmPool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle warm}: the warm bottles kept ready for launches. */
@Command(name = "warm", mixinStandardHelpOptions = true,
        description = {"Warm bottles: copies of a bottle started, provisioned and verified ahead of any launch, "
                + "with no credential, so that bottle run and bottle start claim one instead of starting one "
                + "(not with --cwd, --learn or --insecure-egress). A claim gives the bundle its route values, runs "
                + "the fence's probes again, and fills the pool again in the background. A bottle keeps 'warm: N' "
                + "copies; one made from another text of the manifest, or with other routes set, is never "
                + "claimed. Bottles whose bundle gets a credential when it is created (git repos with an "
                + "identity or token, a sign-in route) cannot be kept warm. bottle ls shows them as warm; "
                + "bottle stop and gc remove them."},
        subcommands = {WarmCommand.Fill.class, WarmCommand.Ls.class, WarmCommand.Drain.class})
final class WarmCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static WarmPool pool(CliContext context) {
        return new WarmPool(context.kernel(), context.env(), context.events());
    }

    /** Fills the pool. */
    @Command(name = "fill", mixinStandardHelpOptions = true, description = {"Start warm copies of AGENT's bottle "
            + "until there are as many as its 'warm: N' says (or --count), after removing those made from an older "
            + "text of the manifest; prints the slugs started."})
    static final class Fill implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "AGENT", description = "The agent, as named in the manifest.")
        String agent;

        @Option(names = "--count", paramLabel = "N", description = "How many to keep, instead of the manifest's.")
        Integer count;

        @Mixin
        ManifestOptions manifest;

        @Mixin
        JsonOption json;

        Fill(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (count != null && (count < 0 || count > 16)) {
                throw new dev.claudebottle.spi.BadInputException("--count " + count + " is out of range",
                        "give 0 to 16");
            }
            if (manifest.cwd || manifest.learn || manifest.insecureEgress) {
                throw new dev.claudebottle.spi.BadInputException("warm bottles are never made with --cwd, --learn "
                        + "or --insecure-egress", "a launch with them starts a bottle of its own");
            }
            List<String> made = pool(context).fill(agent, manifest.file(), manifest.backend(),
                    count == null ? OptionalInt.empty() : OptionalInt.of(count));
            if (json.json) {
                Json.print(context.out(), Map.of("started", made));
            } else {
                made.forEach(context.out()::println);
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** Lists the pool. */
    @Command(name = "ls", mixinStandardHelpOptions = true, description = {"List the warm bottles waiting for a "
            + "launch: slug, agent, backend, manifest and when each was made. --json: an array of objects."})
    static final class Ls implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        JsonOption json;

        Ls(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<WarmPool.Warm> all = pool(context).list();
            if (json.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (WarmPool.Warm w : all) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("slug", w.slug());
                    row.put("agent", w.key().agent());
                    row.put("backend", w.key().backend());
                    row.put("manifest", w.key().manifest());
                    row.put("made_at", w.made().toString());
                    rows.add(row);
                }
                Json.print(context.out(), rows);
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                context.out().println("no warm bottles");
            } else {
                String format = "%-22s %-14s %-13s %-31s %s%n";
                context.out().printf(format, "SLUG", "AGENT", "BACKEND", "MADE", "MANIFEST");
                all.forEach(w -> context.out().printf(format, w.slug(), w.key().agent(), w.key().backend(), w.made(),
                        dev.claudebottle.spi.command.InertText.of(w.key().manifest())));
            }
            context.out().flush();
            return ExitCodes.OK;
        }
    }

    /** Empties the pool. */
    @Command(name = "drain", mixinStandardHelpOptions = true, description = {"Remove the warm bottles of AGENT, "
            + "or every warm bottle; prints the slugs removed."})
    static final class Drain implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", arity = "0..1", paramLabel = "AGENT", description = "Only this agent's.")
        String agent;

        @Mixin
        JsonOption json;

        Drain(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<String> removed = pool(context).drain(Optional.ofNullable(agent));
            if (json.json) {
                Json.print(context.out(), Map.of("removed", removed));
            } else {
                removed.forEach(slug -> context.out().println("removed " + slug));
                if (removed.isEmpty()) {
                    context.out().println("no warm bottles to remove");
                }
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
