package dev.claudebottle.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The docker CLI, for tests only: to set up upstream containers and to inspect what bottles left. */
final class Docker {
    private Docker() {
    }

    /** Runs {@code docker ARGS}; returns its output, failing on a non-zero exit. */
    static String run(String... args) throws IOException, InterruptedException {
        return run(120, args);
    }

    /** Runs {@code docker ARGS} for up to {@code seconds}; returns its output, failing on a non-zero exit. */
    static String run(int seconds, String... args) throws IOException, InterruptedException {
        return dev.claudebottle.spi.testing.DockerCli.run(seconds, args);
    }

    /** Creates the test network {@code name} unless it exists. */
    static void ensureNetwork(String name) throws IOException, InterruptedException {
        if (run("network", "ls", "-q", "--filter", "name=^" + name + "$").isEmpty()) {
            run("network", "create", "--label", "claude-bottle-it=1", name);
        }
    }

    /** The network {@code name} on {@code subnet}, made anew so that its addresses are those. */
    static void ensureNetwork(String name, String subnet) throws IOException, InterruptedException {
        if (!run("network", "ls", "-q", "--filter", "name=^" + name + "$").isEmpty()) {
            run("network", "rm", name);
        }
        run("network", "create", "--label", "claude-bottle-it=1", "--subnet", subnet, name);
    }

    /** Ids of containers with the label, running or not. */
    static List<String> containers(String label) throws IOException, InterruptedException {
        String out = run("ps", "-aq", "--filter", "label=" + label);
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    /** Ids of running containers with the label. */
    static List<String> running(String label) throws IOException, InterruptedException {
        String out = run("ps", "-q", "--filter", "status=running", "--filter", "label=" + label);
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    /** Ids of networks with the label. */
    static List<String> networks(String label) throws IOException, InterruptedException {
        String out = run("network", "ls", "-q", "--filter", "label=" + label);
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    /**
     * A test upstream's image, built from {@code /it/NAME/Dockerfile} on the local base and tagged by
     * the Dockerfile's content, so that it is built once per engine.
     */
    static String testImage(String name, Path temp) throws Exception {
        return testImage(name, temp, "");
    }

    /**
     * A test image built from {@code /it/NAME/Dockerfile} on {@code from} (its {@code AGENT}
     * argument), tagged by the Dockerfile's content and {@code from}; empty: on the local base.
     */
    static String testImage(String name, Path temp, String from) throws Exception {
        byte[] dockerfile;
        try (java.io.InputStream in = Docker.class.getResourceAsStream("/it/" + name + "/Dockerfile")) {
            dockerfile = in.readAllBytes();
        }
        String tag = "claude-bottle-it/" + name + ":" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest((new String(dockerfile,
                        StandardCharsets.UTF_8) + from).getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        if (run("images", "-q", tag).isEmpty()) {
            Path context = java.nio.file.Files.createDirectories(temp.resolve(name + "-context"));
            java.nio.file.Files.write(context.resolve("Dockerfile"), dockerfile);
            if (from.isEmpty()) {
                run("build", "-q", "-t", tag, context.toString());
            } else {
                run(1200, "build", "-q", "--build-arg", "AGENT=" + from, "-t", tag, context.toString());
            }
        }
        return tag;
    }
}
