package dev.claudebottle.cli;

import dev.claudebottle.spi.BottleException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one clear sentence plus a hint on standard error and the exit code of
 * {@link ExitCodes}; stack traces only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final CliContext context;

    ErrorHandler(CliContext context) {
        this.context = context;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        PrintWriter err = context.err();
        err.println("error: " + e.getMessage());
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println("hint: run '" + name + " --help' for usage");
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = context.err();
        if (e instanceof BottleException b) {
            // a message may quote what a guest wrote: its lines stay lines, and nothing in them acts on the terminal
            err.println("error: " + inert(b.getMessage()));
            b.hint().ifPresent(h -> err.println("hint: " + inert(h)));
        } else {
            err.println("error: unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + inert(e.getMessage()) : ""));
            err.println("hint: run again with --debug and report the stack trace");
        }
        if (context.events().debugging()) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.of(e);
    }

    /** Each line of {@code text} made inert, the lines kept. */
    private static String inert(String text) {
        return String.join("\n", java.util.Arrays.stream(text.split("\n", -1))
                .map(dev.claudebottle.spi.command.InertText::of).toList());
    }
}
