package dev.claudebottle.provision.supervise;

import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.records.ApprovalBoard.Notification;
import dev.claudebottle.records.ApprovalBoard.Request;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.InertText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * from the keyboard. Each new request, decision and notification prints as a line, and the request
 * a key decides is always the one last shown on a {@code >>} line: {@code a} approves it,
 * {@code d} denies it, {@code q} quits. When the request shown changes (it was decided elsewhere,
 * or expired), the new one is shown and keys that arrive within {@link #SETTLE} of it are passed
 * over, so a key meant for one request never decides another. Piped input takes lines:
 * {@code a [ID]}, {@code d [ID] [reason]}, {@code q}; an ID decides that request or nothing.
 */
final class RequestWatch {
    /** How long keys are passed over after the request shown changed. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    private static final long POLL_MS = 300;
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-f]{4,32}");
    private final ApprovalBoard board;
    private final CommandCall call;
    private final Clock clock;
    private final Map<String, String> seen = new HashMap<>();
    private final Set<String> notes = new HashSet<>();
    private Optional<String> shown = Optional.empty();
    private Instant shownAt = Instant.EPOCH;

    /** A key, or a line, and when it arrived. */
    private record Input(String text, Instant at) {
    }

    RequestWatch(ApprovalBoard board, CommandCall call) {
        this(board, call, Clock.systemUTC());
    }

    RequestWatch(ApprovalBoard board, CommandCall call, Clock clock) {
        this.board = board;
        this.call = call;
        this.clock = clock;
    }

    int run() throws InterruptedException {
        boolean keyByKey = call.keyByKey();
        PrintWriter out = call.out();
        BlockingQueue<Input> commands = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            if (keyByKey) {
                readKeys(commands);
            } else {
                read(commands);
            }
        }, "supervise-watch-input");
        reader.setDaemon(true);
        reader.start();
        out.println(keyByKey ? "watching approval requests: a approve, d deny (the request on the >> line), q quit"
                : "watching approval requests: 'a [ID]' approve, 'd [ID] [reason]' deny (without an ID: the "
                        + "request on the >> line), 'q' quit");
        out.flush();
        while (true) {
            refresh(out);
            Input command = commands.poll(POLL_MS, TimeUnit.MILLISECONDS);
            if (command == null) {
                continue;
            }
            if (command.text().equals("q") || command.text().equals("\u0004")) {
                return 0;
            }
            if (!command.text().isBlank()) {
                refresh(out);
                decide(out, command, keyByKey);
            }
        }
    }

    private void refresh(PrintWriter out) {
        List<Request> requests = board.requests();
        for (Request r : requests) {
            String state = RequestTable.state(r);
            String before = seen.put(r.id(), state);
            if (before == null && !r.pending()) {
                continue;
            }
            if (!state.equals(before)) {
                out.println(line(r));
            }
        }
        for (Notification n : board.notifications()) {
            if (notes.add(n.id())) {
                out.println("note     " + InertText.of(n.slug()) + ": the agent says: " + InertText.of(n.message()));
            }
        }
        board.alerts().forEach((slug, alert) -> {
            if (notes.add("alert " + slug)) {
                out.println("ALERT    " + InertText.of(slug) + " is tainted: " + InertText.of(alert.rule()) + ": "
                        + InertText.of(alert.reason()));
            }
        });
        Optional<Request> next = requests.stream().filter(Request::pending).findFirst();
        if (!next.map(Request::id).equals(shown)) {
            shown = next.map(Request::id);
            shownAt = clock.instant();
            next.ifPresent(r -> out.println(">> " + InertText.of(r.id()) + " " + InertText.of(r.slug()) + " "
                    + r.asker().wire() + ": " + InertText.of(r.shown())));
        }
        out.flush();
    }

    private static String line(Request r) {
        return String.format("%-8s %s %s %s %s: %s%s", RequestTable.state(r), InertText.of(r.id()),
                InertText.of(r.slug()), r.asker().wire(), InertText.of(r.kind()), InertText.of(r.shown()),
                r.reason().isBlank() ? "" : " (" + InertText.of(r.reason()) + ")");
    }

    private void decide(PrintWriter out, Input command, boolean keyByKey) {
        String[] parts = command.text().strip().split("\\s+", 3);
        boolean approve = parts[0].equals("a");
        if (!approve && !parts[0].equals("d")) {
            say(out, "? commands: 'a [ID]', 'd [ID] [reason]', 'q'");
            return;
        }
        Optional<String> id;
        String reason = "";
        if (parts.length > 1) {
            if (!ID.matcher(parts[1]).matches()) {
                say(out, "'" + InertText.of(parts[1]) + "' is not a request id; nothing was decided");
                return;
            }
            id = Optional.of(parts[1]);
            reason = parts.length > 2 ? parts[2] : "";
        } else {
            if (keyByKey && command.at().isBefore(shownAt.plus(SETTLE))) {
                say(out, "(the request on the >> line changed just now: that key was passed over)");
                return;
            }
            id = shown;
        }
        if (id.isEmpty()) {
            say(out, "no pending request");
            return;
        }
        try {
            board.decide(id.get(), approve, reason);
        } catch (BottleException e) {
            say(out, e.getMessage() + "; nothing was decided");
        }
        refresh(out);
    }

    private static void say(PrintWriter out, String text) {
        out.println(text);
        out.flush();
    }

    private void readKeys(BlockingQueue<Input> commands) {
        try {
            int key;
            while ((key = call.in().read()) >= 0) {
                switch (key) {
                    case 'a', 'd', 'q' -> commands.add(new Input(String.valueOf((char) key), clock.instant()));
                    case 4 -> commands.add(new Input("q", clock.instant()));
                    default -> { }
                }
            }
        } catch (IOException e) {
            // input closed: watching goes on until interrupted
        }
    }

    private void read(BlockingQueue<Input> commands) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(call.in(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(new Input(line, clock.instant()));
            }
        } catch (IOException e) {
            // input closed: watching goes on until interrupted
        }
    }
}
