package dev.claudebottle.provision.supervise;

import dev.claudebottle.provision.supervise.ApprovalBoard.Notification;
import dev.claudebottle.provision.supervise.ApprovalBoard.Request;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.InertText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bottle supervise watch}: follows every bottle's requests as they come and decides them
 * from the keyboard. Each new request, decision and notification prints as a line. On a
 * terminal a single key decides: {@code a} approves the oldest pending request, {@code d} denies
 * it, {@code q} quits. Piped input takes lines: {@code a [ID]}, {@code d [ID] [reason]}, {@code q}.
 * A bottle's first alert (it is tainted) prints as a line too.
 */
final class RequestWatch {
    private static final long POLL_MS = 300;
    private final ApprovalBoard board;
    private final CommandCall call;
    private final Map<String, String> seen = new HashMap<>();
    private final Set<String> notes = new HashSet<>();

    RequestWatch(ApprovalBoard board, CommandCall call) {
        this.board = board;
        this.call = call;
    }

    int run() throws InterruptedException {
        boolean keyByKey = call.keyByKey();
        PrintWriter out = call.out();
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            if (keyByKey) {
                readKeys(commands);
            } else {
                read(commands);
            }
        }, "supervise-watch-input");
        reader.setDaemon(true);
        reader.start();
        out.println(keyByKey ? "watching approval requests: a approve, d deny (the oldest pending), q quit"
                : "watching approval requests: 'a [ID]' approve, 'd [ID] [reason]' deny, 'q' quit");
        out.flush();
        while (true) {
            refresh(out);
            String command = commands.poll(POLL_MS, TimeUnit.MILLISECONDS);
            if (command == null) {
                continue;
            }
            if (command.equals("q") || command.equals("\u0004")) {
                return 0;
            }
            if (!command.isBlank()) {
                decide(out, command.strip());
            }
        }
    }

    private void refresh(PrintWriter out) {
        for (Request r : board.requests()) {
            String before = seen.put(r.id(), r.state());
            if (before == null && !r.state().equals("pending")) {
                continue;
            }
            if (!r.state().equals(before)) {
                out.println(line(r));
            }
        }
        for (Notification n : board.notifications()) {
            if (notes.add(n.id())) {
                out.println("note     " + InertText.of(n.slug()) + ": " + InertText.of(n.message()));
            }
        }
        board.alerts().forEach((slug, alert) -> {
            if (notes.add("alert " + slug)) {
                out.println("ALERT    " + InertText.of(slug) + " is tainted: " + InertText.of(alert.rule()) + ": "
                        + InertText.of(alert.reason()));
            }
        });
        out.flush();
    }

    private static String line(Request r) {
        return String.format("%-8s %s %s %s: %s%s", r.state(), InertText.of(r.id()), InertText.of(r.slug()),
                InertText.of(r.kind()), InertText.of(r.title()),
                r.reason().isBlank() ? "" : " (" + InertText.of(r.reason()) + ")");
    }

    private void decide(PrintWriter out, String command) {
        String[] parts = command.split("\\s+", 3);
        boolean approve = parts[0].equals("a");
        if (!approve && !parts[0].equals("d")) {
            out.println("? commands: 'a [ID]', 'd [ID] [reason]', 'q'");
            out.flush();
            return;
        }
        List<Request> pending = board.requests().stream().filter(r -> r.state().equals("pending")).toList();
        Optional<String> id = parts.length > 1 && pending.stream().anyMatch(r -> r.id().equals(parts[1]))
                ? Optional.of(parts[1]) : pending.stream().map(Request::id).findFirst();
        if (id.isEmpty()) {
            out.println("no pending request");
            out.flush();
            return;
        }
        boolean idGiven = parts.length > 1 && parts[1].equals(id.get());
        String reason = idGiven ? (parts.length > 2 ? parts[2] : "") : command.substring(parts[0].length()).strip();
        try {
            board.decide(id.get(), approve, reason);
        } catch (BottleException e) {
            out.println(e.getMessage());
        }
        refresh(out);
    }

    private void readKeys(BlockingQueue<String> commands) {
        try {
            int key;
            while ((key = call.in().read()) >= 0) {
                switch (key) {
                    case 'a', 'd', 'q' -> commands.add(String.valueOf((char) key));
                    case 4 -> commands.add("q");
                    default -> { }
                }
            }
        } catch (IOException e) {
            // input closed: watching goes on until interrupted
        }
    }

    private void read(BlockingQueue<String> commands) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(call.in(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
            }
        } catch (IOException e) {
            // input closed: watching goes on until interrupted
        }
    }
}
