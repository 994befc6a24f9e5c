package dev.claudebottle.cli;

import dev.claudebottle.spi.HostEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Runs the CLI in-process with the bundled plugins the build unpacked, and captures its output. */
final class CliHarness {
    private final Map<String, String> env = new HashMap<>();
    private final Path workingDir;

    CliHarness(Path home, Path workingDir) {
        this.workingDir = workingDir;
        env.put("CLAUDE_BOTTLE_HOME", home.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        if (System.getenv("DOCKER_HOST") != null) {
            env.put("DOCKER_HOST", System.getenv("DOCKER_HOST"));
        }
    }

    CliHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    static Path bundledPlugins() {
        String dist = System.getProperty("bottle.it.dist");
        if (dist != null) {
            return Path.of(dist, "plugins");
        }
        String dir = System.getProperty("bottle.test.plugins");
        if (dir == null) {
            throw new IllegalStateException("bottle.test.plugins is not set: run the tests through Maven");
        }
        return Path.of(dir);
    }

    static Path examplePluginJar() {
        return Path.of(System.getProperty("bottle.test.dropins"), "hello-provisioner.jar");
    }

    /** Builds the agent image, or finds it up to date, and returns its tag. */
    String agentImage() throws java.io.IOException {
        Result built = run("image", "build", "--agent", "--json");
        org.assertj.core.api.Assertions.assertThat(built.exitCode()).as(built.err()).isZero();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(built.out()).get(0).get("tag").asText();
    }

    Result run(String... args) {
        return runWithInput(java.io.InputStream.nullInputStream(), args);
    }

    /** Runs the CLI with {@code in} as what the user types. */
    Result runWithInput(java.io.InputStream in, String... args) {
        return run(in, new StringWriter(), args);
    }

    /** Runs the CLI with its standard output in {@code seen} as it is written, for a command that goes on. */
    Result runSeeing(StringWriter seen, String... args) {
        return run(java.io.InputStream.nullInputStream(), seen, args);
    }

    private Result run(java.io.InputStream in, StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(HostEnvironment.of(env), workingDir,
                Optional.of(bundledPlugins()), new PrintWriter(out, true), new PrintWriter(err, true))
                .terminal(in, null);
        int code = Cli.commandLine(context, args).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** What one run produced. */
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }
}
