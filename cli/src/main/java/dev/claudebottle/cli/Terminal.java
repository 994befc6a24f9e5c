package dev.claudebottle.cli;

import dev.claudebottle.kernel.run.BottleHandle;
import dev.claudebottle.spi.Guest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The local terminal while a guest program owns it: raw mode (keys go to the guest unprocessed)
 * and back to what it was afterwards. Without a terminal nothing changes.
 */
final class Terminal implements AutoCloseable {
    private final String saved;
    final int columns;
    final int rows;

    private Terminal(String saved, int columns, int rows) {
        this.saved = saved;
        this.columns = columns;
        this.rows = rows;
    }

    /** Puts the terminal in raw mode, if there is one. */
    static Terminal raw() {
        if (System.console() == null) {
            return new Terminal(null, 80, 24);
        }
        String saved = stty("-g");
        String[] size = String.valueOf(stty("size")).trim().split("\\s+");
        int rows = size.length == 2 ? parse(size[0], 24) : 24;
        int columns = size.length == 2 ? parse(size[1], 80) : 80;
        stty("raw", "-echo");
        return new Terminal(saved, columns, rows);
    }

    /** Runs the bottle's agent command on this terminal, in raw mode; returns its exit code. */
    static int attach(CliContext context, BottleHandle bottle) throws Exception {
        try (Terminal terminal = raw()) {
            return bottle.guest().execInteractive(Guest.AGENT_USER, bottle.agentCommand(),
                    context.terminalIn(), context.terminalOut(), terminal.columns, terminal.rows);
        }
    }

    /**
     * Delivers each key as it is pressed, without echo, but keeps output processing, so lines
     * still print as lines; without a terminal nothing changes.
     */
    static Terminal keys() {
        if (System.console() == null) {
            return new Terminal(null, 80, 24);
        }
        String saved = stty("-g");
        stty("-icanon", "-echo", "min", "1");
        return new Terminal(saved, 80, 24);
    }

    /** Whether keys arrive one by one (a terminal was put in key mode). */
    boolean keyByKey() {
        return saved != null && !saved.isEmpty();
    }

    private static int parse(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String stty(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "stty";
        System.arraycopy(args, 0, argv, 1, args.length);
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        if (saved != null && !saved.isEmpty()) {
            stty(saved);
        }
    }
}
