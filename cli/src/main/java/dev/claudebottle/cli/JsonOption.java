package dev.claudebottle.cli;

import picocli.CommandLine.Option;

/** The shared {@code --json} flag. */
public final class JsonOption {
    @Option(names = "--json", description = "Print machine-readable JSON on standard output.")
    boolean json;
}
