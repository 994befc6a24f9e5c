package dev.claudebottle.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Builds the {@code bottle} command line; tests run it in-process and assert exit code and output. */
public final class Cli {
    /** Every built-in subcommand of {@code bottle}, in the order its help lists them; plugins' come before help. */
    static final List<Class<?>> SUBCOMMANDS = List.of(PluginsCommand.class, PlanCommand.class, StartCommand.class,
            RunCommand.class, ExecCommand.class, LsCommand.class, StopCommand.class, ResumeCommand.class,
            LogsCommand.class, VerifyCommand.class, RecordsCommand.class, DashboardCommand.class, PresetsCommand.class,
            WarmCommand.class, GcCommand.class,
            DoctorCommand.class, ImageCommand.class,
            CommandLine.HelpCommand.class);

    private Cli() {
    }

    /**
     * The command line that will {@code execute(args)} and return the exit code. picocli reflects on
     * every command it is given, which is most of a short command's start-up, so only the built-in
     * subcommand the arguments name is added; help, any other word or no subcommand get all of them,
     * and then the plugins are loaded for theirs ({@code --version} loads none).
     */
    public static CommandLine commandLine(CliContext context, String... args) {
        CommandFactory factory = new CommandFactory(context);
        CommandLine cl = new CommandLine(BottleCommand.class, factory);
        List<Class<?>> needed = needed(args);
        for (Class<?> sub : needed) {
            if (sub != CommandLine.HelpCommand.class) {
                cl.addSubcommand(new CommandLine(sub, factory));
            }
        }
        if (needed.contains(CommandLine.HelpCommand.class)) {
            PluginCommands.addAll(cl, context);
            cl.addSubcommand(new CommandLine(CommandLine.HelpCommand.class, factory));
        }
        ErrorHandler errors = new ErrorHandler(context);
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // An argument is what was typed: @FILE read on the host would carry the file's content into the guest.
        cl.setExpandAtFiles(false);
        return cl;
    }

    /** The built-in subcommands {@code args} can reach; with help among them, plugins' can be reached too. */
    static List<Class<?>> needed(String... args) {
        for (String arg : args) {
            if (arg.startsWith("-") && !arg.equals("--")) {
                continue; // an option of bottle itself: --debug, --help, --version
            }
            return named(arg).filter(c -> c != CommandLine.HelpCommand.class).map(List::<Class<?>>of)
                    .orElse(SUBCOMMANDS);
        }
        boolean versionOnly = List.of(args).stream().anyMatch(a -> a.equals("--version") || a.equals("-V"))
                && List.of(args).stream().noneMatch(a -> a.equals("--help") || a.equals("-h"));
        return versionOnly ? List.of() : SUBCOMMANDS;
    }

    private static Optional<Class<?>> named(String word) {
        return SUBCOMMANDS.stream().filter(c -> {
            Command command = c.getAnnotation(Command.class);
            return command.name().equals(word) || List.of(command.aliases()).contains(word);
        }).findFirst();
    }
}
