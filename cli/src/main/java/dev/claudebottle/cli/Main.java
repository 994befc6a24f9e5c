package dev.claudebottle.cli;

import dev.claudebottle.spi.HostEnvironment;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** The {@code bottle} executable. */
public final class Main {
    /** Set by the launcher to the distribution's folder. */
    public static final String DIST_PROPERTY = "bottle.dist";

    private Main() {
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        // Library logging (PF4J) is off unless --debug: the kernel reports what matters as events.
        boolean debug = Arrays.asList(args).contains("--debug");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // docker-java's debug output is the Docker API's wire traffic: noise even when debugging a launch
        System.setProperty("org.slf4j.simpleLogger.log.com.github.dockerjava", "info");
        Optional<Path> plugins = Optional.ofNullable(System.getProperty(DIST_PROPERTY))
                .map(dist -> Path.of(dist, "plugins"));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        CliContext context = new CliContext(HostEnvironment.current(), Path.of("").toAbsolutePath(), plugins,
                out, err).terminal(System.in, System.out);
        int code = Cli.commandLine(context, args).execute(args);
        context.close();
        out.flush();
        err.flush();
        System.exit(code);
    }
}
