package dev.claudebottle.cli;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.OptionDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code bottle} subcommands plugins contribute, as picocli commands: parsed, helped and
 * mapped to exit codes exactly as built-in ones. A name already taken is skipped with a warning.
 */
final class PluginCommands {
    private PluginCommands() {
    }

    /** Adds every loaded plugin's commands to {@code bottle}. */
    static void addAll(CommandLine bottle, CliContext context) {
        java.util.List<Owned<PluginCommand>> commands;
        try {
            commands = context.kernel().plugins().commands();
        } catch (BottleException e) {
            context.events().warn("plugin commands are unavailable: " + e.getMessage());
            return;
        }
        add(bottle, commands, context);
    }

    /** Adds {@code commands} to {@code bottle}, skipping, with a warning, each whose name is taken. */
    static void add(CommandLine bottle, java.util.List<Owned<PluginCommand>> commands, CliContext context) {
        java.util.Map<String, String> owners = new java.util.HashMap<>();
        for (Owned<PluginCommand> command : commands) {
            CommandDef def = command.value().definition();
            if (bottle.getSubcommands().containsKey(def.name())) {
                context.events().warn("plugin " + command.pluginId() + "'s command '" + def.name() + "' was skipped: "
                        + owners.getOrDefault(def.name(), "a built-in command") + " has that name");
                continue;
            }
            bottle.addSubcommand(def.name(), commandLine(def, context));
            owners.put(def.name(), "plugin " + command.pluginId());
        }
    }

    private static CommandLine commandLine(CommandDef def, CliContext context) {
        Runner runner = new Runner(def, context);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(runner).name(def.name()).mixinStandardHelpOptions(true);
        spec.usageMessage().description(def.description());
        for (OptionDef o : def.options()) {
            OptionSpec.Builder option = (o.shortName().isPresent() ? OptionSpec.builder(o.shortName().get(), o.name())
                    : OptionSpec.builder(o.name())).description(o.description());
            if (o.isFlag()) {
                option.type(boolean.class).arity("0");
            } else {
                option.type(String.class).arity("1").paramLabel(o.valueLabel().orElseThrow());
            }
            spec.addOption(option.build());
        }
        int index = 0;
        for (ParameterDef p : def.parameters()) {
            spec.addPositional(PositionalParamSpec.builder().index(Integer.toString(index++)).paramLabel(p.label())
                    .description(p.description()).type(String.class).arity(p.required() ? "1" : "0..1").build());
        }
        CommandLine commandLine = new CommandLine(spec);
        runner.commandLine = commandLine;
        for (CommandDef sub : def.subcommands()) {
            commandLine.addSubcommand(sub.name(), commandLine(sub, context));
        }
        if (!def.subcommands().isEmpty()) {
            commandLine.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return commandLine;
    }

    /** Runs a plugin command's action, or shows a group's usage. */
    private static final class Runner implements Callable<Integer> {
        private final CommandDef def;
        private final CliContext context;
        private CommandLine commandLine;

        Runner(CommandDef def, CliContext context) {
            this.def = def;
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            if (def.action().isEmpty()) {
                commandLine.usage(context.out());
                return ExitCodes.OK;
            }
            try (PluginCommandCall call = new PluginCommandCall(commandLine.getParseResult(), context)) {
                return def.action().get().run(call);
            }
        }
    }
}
