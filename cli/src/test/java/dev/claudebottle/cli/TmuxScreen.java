package dev.claudebottle.cli;

import dev.claudebottle.spi.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program on a real terminal: a detached tmux session a test types into and reads the screen of,
 * as a person at that terminal would.
 */
final class TmuxScreen implements AutoCloseable {
    private final String session;

    private TmuxScreen(String session) {
        this.session = session;
    }

    /** Starts {@code argv} on a {@code columns}×{@code rows} terminal with {@code env} added to tmux's own. */
    static TmuxScreen start(String session, int columns, int rows, Map<String, String> env, List<String> argv)
            throws IOException, InterruptedException {
        tmux("kill-session", "-t", session);
        List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x",
                Integer.toString(columns), "-y", Integer.toString(rows)));
        env.forEach((k, v) -> command.addAll(List.of("-e", k + "=" + v)));
        command.addAll(argv);
        String out = tmux(command.toArray(String[]::new));
        TmuxScreen screen = new TmuxScreen(session);
        if (!screen.alive()) {
            throw new IllegalStateException("tmux did not start " + argv + ": " + out);
        }
        // Keep the pane after the program exits, so its last screen can still be read.
        tmux("set-option", "-t", session, "remain-on-exit", "on");
        return screen;
    }

    /** Copies everything written to the terminal from now on to {@code file}, as written, escapes and all. */
    void copyTo(java.nio.file.Path file) throws IOException, InterruptedException {
        tmux("pipe-pane", "-o", "-t", session, "cat >> '" + file + "'");
    }

    /** The visible screen as text. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", session);
    }

    /** Types text (literally) followed by Enter. */
    void typeLine(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", session, "-l", text);
        Thread.sleep(300);
        tmux("send-keys", "-t", session, "Enter");
    }

    /** Waits until the screen satisfies {@code seen}; fails with the last screen after {@code seconds}. */
    String await(String what, Predicate<String> seen, int seconds) throws Exception {
        return Await.value(Duration.ofSeconds(seconds), () -> what + "; the screen shows:\n" + screen(),
                () -> Optional.of(screen()).filter(seen));
    }

    /** The process id of the program on the terminal. */
    long pid() throws IOException, InterruptedException {
        return Long.parseLong(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip());
    }

    /** Closes the terminal, as closing its window does: the program gets SIGHUP. */
    void hangUp() throws IOException, InterruptedException {
        tmux("kill-session", "-t", session);
    }

    /** Whether the program on the terminal still runs. */
    boolean alive() throws IOException, InterruptedException {
        String dead = tmux("display-message", "-p", "-t", session, "#{pane_dead}");
        return dead.strip().equals("0");
    }

    /** Waits until the program on the terminal has exited. */
    void awaitExit(int seconds) throws Exception {
        Await.until(Duration.ofSeconds(seconds), () -> "the program to exit; the screen shows:\n" + screen(),
                () -> !alive());
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tmux"));
        argv.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("tmux is needed to drive a terminal program (scripts/test-tools.sh"
                    + " installs it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-session", "-t", session);
    }
}
