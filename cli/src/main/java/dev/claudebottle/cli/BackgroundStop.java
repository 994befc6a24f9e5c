package dev.claudebottle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaves {@code bottle stop --at-first-alert SLUG} running for a detached bottle whose manifest
 * says {@code egress.on_alert: stop}, since no attached command is left to watch it. It runs the
 * distribution's launcher with this command's host env, in a session of its own so that closing
 * the terminal does not end it; what it prints goes to {@code alert-stop.log} in the bottle's state
 * dir. It ends when the bottle is stopped, by it or by anyone.
 */
final class BackgroundStop {
    static final String LOG = "alert-stop.log";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private BackgroundStop() {
    }

    /** Starts the watcher, or warns that only the gateway's cut-off stands for this bottle. */
    static void start(CliContext context, String slug) {
        Path stateDir = context.kernel().paths().bottleDir(slug);
        var launcher = context.kernel().paths().distribution().map(d -> d.resolve("bin").resolve("bottle"))
                .filter(Files::isExecutable);
        if (launcher.isEmpty()) {
            context.events().warn("no bottle launcher to watch " + slug + " in the background: at its first alert "
                    + "the gateway cuts its traffic, but bottle stop " + slug + " is yours to run");
            return;
        }
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
        }
        argv.addAll(List.of(launcher.get().toString(), "stop", "--at-first-alert", slug));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(context.workingDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve(LOG).toFile()));
        pb.environment().clear();
        pb.environment().putAll(context.env().all());
        // a watcher that polls a file needs little heap
        pb.environment().merge("JAVA_OPTS", "-Xmx48m", (mine, user) -> user + " " + mine);
        try {
            pb.start();
        } catch (IOException e) {
            context.events().warn("could not start the watch that stops " + slug + " at its first alert ("
                    + e.getMessage() + "): the gateway still cuts its traffic then; bottle stop " + slug
                    + " is yours to run");
        }
    }
}
