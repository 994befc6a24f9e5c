package dev.claudebottle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the warm pool again after a launch claimed from it: {@code bottle warm fill AGENT} with the
 * launch's {@code -f} and {@code --backend}, run by the distribution's launcher with this command's
 * host env, in a session of its own and at a lower priority, so the claimed bottle's command comes
 * first; what it prints goes to {@code warm-fill.log} in the state home.
 */
final class BackgroundFill {
    static final String LOG = "warm-fill.log";
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path NICE = Path.of("/usr/bin/nice");

    private BackgroundFill() {
    }

    /** Starts the fill, or says why it could not. */
    static void start(CliContext context, String agent, ManifestOptions manifest) {
        var launcher = context.kernel().paths().distribution().map(d -> d.resolve("bin").resolve("bottle"))
                .filter(Files::isExecutable);
        if (launcher.isEmpty()) {
            context.events().warn("no bottle launcher to fill the warm pool again: bottle warm fill " + agent
                    + " does it");
            return;
        }
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
        }
        if (Files.isExecutable(NICE)) {
            argv.add(NICE.toString());
        }
        argv.addAll(List.of(launcher.get().toString(), "warm", "fill", agent));
        manifest.file().ifPresent(f -> argv.addAll(List.of("-f", context.workingDir().resolve(f).toString())));
        manifest.backend().ifPresent(b -> argv.addAll(List.of("--backend", b)));
        Path log = context.kernel().paths().home().resolve(LOG);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(argv).directory(context.workingDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().clear();
            pb.environment().putAll(context.env().all());
            pb.start();
        } catch (IOException e) {
            context.events().warn("could not fill the warm pool again (" + e.getMessage() + "): bottle warm fill "
                    + agent + " does it");
        }
    }
}
