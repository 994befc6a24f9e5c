package dev.claudebottle.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the {@code bottle} command line; tests run it in-process and assert exit code and output. */
public final class Cli {
    private Cli() {
    }

    /** The command line over a context; {@code execute(args)} returns the exit code. */
    public static CommandLine commandLine(CliContext context) {
        ErrorHandler errors = new ErrorHandler(context);
        CommandLine cl = new CommandLine(BottleCommand.class, new CommandFactory(context));
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
