package dev.claudebottle.cli;

import dev.claudebottle.kernel.supervise.ApprovalBoard.Request;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bottle supervise ls}: the approval requests of every bottle. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List approval requests: id, bottle, kind, state (pending, approved, denied, expired), age "
                + "and title. Pending ones only unless --all."})
final class SuperviseLsCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JsonOption json;

    @Option(names = "--all", description = "Include decided and expired requests.")
    boolean all;

    SuperviseLsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Request> requests = context.kernel().approvals().requests().stream()
                .filter(r -> all || json.json || r.state().equals("pending")).toList();
        if (json.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Request r : requests) {
                rows.add(row(r));
            }
            Json.print(context.out(), rows);
            return ExitCodes.OK;
        }
        print(context.out(), requests, Instant.now());
        return ExitCodes.OK;
    }

    static Map<String, Object> row(Request r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.id());
        row.put("slug", r.slug());
        row.put("title", r.title());
        row.put("details", r.details());
        row.put("kind", r.kind());
        row.put("state", r.state());
        row.put("reason", r.reason());
        row.put("created_at", r.createdAt().toString());
        row.put("expires_at", r.expiresAt().toString());
        return row;
    }

    /** The table {@code ls} and {@code watch} show. */
    static void print(PrintWriter out, List<Request> requests, Instant now) {
        if (requests.isEmpty()) {
            out.println("no approval requests");
            out.flush();
            return;
        }
        String format = "%-9s %-20s %-8s %-9s %6s  %s%n";
        out.printf(format, "ID", "BOTTLE", "KIND", "STATE", "AGE", "TITLE");
        for (Request r : requests) {
            out.printf(format, InertText.of(r.id()), InertText.of(r.slug()), InertText.of(r.kind()), r.state(),
                    age(r.createdAt(), now), InertText.of(r.title()));
        }
        out.flush();
    }

    private static String age(Instant created, Instant now) {
        long s = Math.max(0, now.getEpochSecond() - created.getEpochSecond());
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
    }
}
