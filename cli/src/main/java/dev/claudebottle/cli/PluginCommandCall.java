package dev.claudebottle.cli;

import dev.claudebottle.spi.command.CommandCall;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** One call of a plugin command: what picocli parsed, and the CLI's streams and terminal. */
final class PluginCommandCall implements CommandCall, AutoCloseable {
    private final ParseResult parsed;
    private final CliContext context;
    private Terminal keys;

    PluginCommandCall(ParseResult parsed, CliContext context) {
        this.parsed = parsed;
        this.context = context;
    }

    @Override
    public boolean flag(String option) {
        return parsed.hasMatchedOption(option);
    }

    @Override
    public Optional<String> option(String option) {
        return Optional.ofNullable(parsed.matchedOptionValue(option, null));
    }

    @Override
    public Optional<String> parameter(String label) {
        return parsed.matchedPositionals().stream().filter(p -> p.paramLabel().equals(label)).findFirst()
                .map(PositionalParamSpec::getValue).map(String.class::cast);
    }

    @Override
    public PrintWriter out() {
        return context.out();
    }

    @Override
    public PrintWriter err() {
        return context.err();
    }

    @Override
    public InputStream in() {
        return context.terminalIn();
    }

    @Override
    public void printJson(Object value) {
        Json.print(context.out(), value);
    }

    @Override
    public synchronized boolean keyByKey() {
        if (keys == null) {
            keys = Terminal.keys();
        }
        return keys.keyByKey();
    }

    /** Gives the terminal back as it was. */
    @Override
    public synchronized void close() {
        if (keys != null) {
            keys.close();
        }
    }
}
