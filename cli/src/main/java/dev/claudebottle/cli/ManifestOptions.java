package dev.claudebottle.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that choose what to launch and where: {@code -f}, {@code --backend}, {@code --cwd}. */
public final class ManifestOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The manifest (default: ./bottle.yaml, else $CLAUDE_BOTTLE_HOME/bottle.yaml, "
                    + "else the embedded default).")
    Path file;

    @Option(names = "--backend", paramLabel = "B",
            description = "The backend (default: $CLAUDE_BOTTLE_BACKEND, else docker).")
    String backend;

    @Option(names = "--cwd", description = "Give the agent the current directory's git repository as its workspace.")
    boolean cwd;

    @Option(names = "--insecure-egress", description = "Launch even where the backend cannot enforce the egress "
            + "allowlist on the guest (smolvm before 1.8.0 drops it for packed machines).")
    boolean insecureEgress;

    @Option(names = "--learn", description = "Learn a policy: every host the manifest does not cover is let "
            + "through (intercepted where possible; loopback and metadata addresses still refused; DLP and the "
            + "tripwire on) and written to the audit log, for bottle policy propose SLUG. Never for real work.")
    boolean learn;

    /** The plan request these options describe for {@code agent}. */
    dev.claudebottle.kernel.plan.PlanRequest request(String agent, CliContext context) {
        return new dev.claudebottle.kernel.plan.PlanRequest(agent, file(), backend(),
                cwd ? Optional.of(context.workingDir()) : Optional.empty(), insecureEgress, learn);
    }

    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    Optional<String> backend() {
        return Optional.ofNullable(backend);
    }
}
