package dev.claudebottle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code bottle} command. */
@Command(name = "bottle", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run an AI coding agent with full autonomy inside a bottle: an isolated guest whose only "
                + "way out is a sidecar that allows declared hosts, injects credentials and asks you before "
                + "anything risky."},
        footer = {"", "Environment: CLAUDE_BOTTLE_BACKEND, CLAUDE_BOTTLE_HOME (default ~/.claude-bottle), "
                + "CLAUDE_BOTTLE_PLUGINS_DIR (default $CLAUDE_BOTTLE_HOME/plugins), CLAUDE_BOTTLE_GUEST_HOME.",
                "Exit codes: 0 ok, 1 failure, 2 bad input, 3 environment (no Docker, missing prerequisites)."})
final class BottleCommand implements Runnable {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    BottleCommand(CliContext context) {
        this.context = context;
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show debug events and stack traces.")
    void debug(boolean on) {
        if (on) {
            context.events().debug(true);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }
}
