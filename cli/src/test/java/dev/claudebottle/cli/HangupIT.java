package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a person ends an attached bottle leaves nothing behind: closing its terminal (SIGHUP),
 * Ctrl-C (SIGINT) and SIGTERM, while the agent runs on the terminal and at the launch's steps.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HangupIT {
    private static final String EGRESS = "claude-bottle-it-hangup-egress";
    private static final Pattern STEP = Pattern.compile("\\[(\\d+)/(\\d+)\\]");
    private static final List<String> SIGNALS = List.of("HUP", "INT", "TERM");
    Path work;
    Path home;

    @BeforeAll
    void manifest(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  plain:
                    egress:
                      allow:
                        - host: allowed.test
                agents:
                  shell:
                    bottle: plain
                    command: [bash]
                """);
        Docker.ensureNetwork(EGRESS);
        // the images are built once, before any launch is cut short
        assertThat(new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).agentImage()).isNotBlank();
    }

    @AfterAll
    void cleanUp() throws Exception {
        new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).run("gc");
        Docker.run("network", "rm", EGRESS);
    }

    private TmuxScreen attached(String session) throws Exception {
        String launcher = Path.of(System.getProperty("bottle.it.dist"), "bin", "bottle").toString();
        return TmuxScreen.start(session, 120, 40, Map.of("CLAUDE_BOTTLE_HOME", home.toString(),
                "CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS), List.of("sh", "-c", "cd '" + work + "' && exec '" + launcher
                + "' start shell 2>&1"));
    }

    /** Waits until no container, network or state of any bottle of this home is left. */
    private void assertNothingLeft(String when) throws Exception {
        Await.until(Duration.ofSeconds(90), () -> "nothing left " + when + "; left: containers "
                + Docker.containers("claude-bottle.slug") + ", networks " + Docker.networks("claude-bottle.slug")
                + ", bottle state " + bottles(), () -> Docker.containers("claude-bottle.slug").isEmpty()
                && Docker.networks("claude-bottle.slug").isEmpty() && bottles().isEmpty());
    }

    private List<Path> bottles() throws Exception {
        Path dir = home.resolve("bottles");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var list = Files.list(dir)) {
            return list.toList();
        }
    }

    @Test
    void closingTheTerminalOfAnAttachedBottleLeavesNothing() throws Exception {
        try (TmuxScreen screen = attached("claude-bottle-it-hangup")) {
            screen.await("the agent's shell", s -> s.contains("node@"), 120);
            assertThat(Docker.running("claude-bottle.role=guest")).hasSize(1);
            assertThat(Docker.networks("claude-bottle.slug")).isNotEmpty();

            screen.hangUp();
        }
        assertNothingLeft("after the terminal closed");
    }

    @Test
    void ctrlCAndSigtermWhileAttachedLeaveNothing() throws Exception {
        for (String signal : List.of("INT", "TERM")) {
            try (TmuxScreen screen = attached("claude-bottle-it-hangup-" + signal.toLowerCase())) {
                screen.await("the agent's shell", s -> s.contains("node@"), 120);
                new ProcessBuilder("kill", "-" + signal, Long.toString(screen.pid())).start().waitFor();
                screen.awaitExit(90);
            }
            assertNothingLeft("after SIG" + signal + " while attached");
        }
    }

    @Test
    void everySignalAtTheLaunchsStepsLeavesNothing() throws Exception {
        int total = stepsOfALaunch();
        List<String> cut = new ArrayList<>();
        // every step of the launch is cut short by each of the three signals
        for (int step = 1; step <= total; step++) {
            for (String signal : SIGNALS) {
                try (TmuxScreen screen = attached("claude-bottle-it-step")) {
                    int at = step;
                    screen.await("step " + at, s -> reached(s, at), 120);
                    new ProcessBuilder("kill", "-" + signal, Long.toString(screen.pid())).start().waitFor();
                    screen.awaitExit(90);
                }
                assertNothingLeft("after SIG" + signal + " at step " + step + " of " + total);
                cut.add(signal + "@" + step);
            }
        }
        assertThat(cut).hasSize(total * SIGNALS.size());
    }

    /** How many steps a launch of the agent has, read from a launch that is then ended by closing its terminal. */
    private int stepsOfALaunch() throws Exception {
        int total;
        try (TmuxScreen screen = attached("claude-bottle-it-count")) {
            String seen = screen.await("the first step", s -> STEP.matcher(s).find(), 120);
            Matcher m = STEP.matcher(seen);
            assertThat(m.find()).isTrue();
            total = Integer.parseInt(m.group(2));
            screen.await("the agent's shell", s -> s.contains("node@"), 120);
            screen.hangUp();
        }
        assertNothingLeft("after the terminal closed");
        return total;
    }

    private static boolean reached(String screen, int step) {
        Matcher m = STEP.matcher(screen);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) >= step) {
                return true;
            }
        }
        return screen.contains("node@");
    }
}
