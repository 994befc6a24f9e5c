package dev.claudebottle.spi.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker CLI, for tests that set up containers of their own. */
public final class DockerCli {
    private DockerCli() {
    }

    /** Runs {@code docker ARGS} for up to {@code seconds}; returns its output, failing on a non-zero exit. */
    public static String run(int seconds, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out.strip();
    }
}
