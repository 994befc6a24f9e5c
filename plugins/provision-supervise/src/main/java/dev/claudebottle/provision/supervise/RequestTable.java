package dev.claudebottle.provision.supervise;

import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.contract.Wire;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.InertText;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code bottle supervise ls}: the approval requests of every bottle, as a table or as JSON. */
final class RequestTable {
    private final ApprovalBoard board;

    RequestTable(ApprovalBoard board) {
        this.board = board;
    }

    int show(CommandCall call) {
        boolean json = call.flag("--json");
        List<ApprovalBoard.Request> requests = board.requests().stream()
                .filter(r -> call.flag("--all") || json || r.pending()).toList();
        if (json) {
            call.printJson(requests.stream().map(RequestTable::row).toList());
        } else {
            print(call.out(), requests, Instant.now());
        }
        return 0;
    }

    static Map<String, Object> row(ApprovalBoard.Request r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.id());
        row.put("slug", r.slug());
        row.put("asker", r.asker().wire());
        row.put("title", r.title());
        row.put("details", r.details());
        row.put("kind", r.kind());
        row.put("state", Wire.name(r.state()));
        row.put("reason", r.reason());
        if (!r.pending()) {
            row.put("scope", Wire.name(r.scope()));
        }
        row.put("revoked", r.revoked());
        row.put("created_at", r.createdAt().toString());
        row.put("expires_at", r.expiresAt().toString());
        r.egress().ifPresent(e -> row.put("egress", e.toJson()));
        return row;
    }

    private static void print(PrintWriter out, List<ApprovalBoard.Request> requests, Instant now) {
        if (requests.isEmpty()) {
            out.println("no approval requests");
            out.flush();
            return;
        }
        String format = "%-9s %-20s %-8s %-8s %-9s %6s  %s%n";
        out.printf(format, "ID", "BOTTLE", "ASKER", "KIND", "STATE", "AGE", "WHAT");
        for (ApprovalBoard.Request r : requests) {
            out.printf(format, InertText.of(r.id()), InertText.of(r.slug()), r.asker().wire(),
                    InertText.of(shortened(r.kind(), 8)), state(r), age(r.createdAt(), now), InertText.of(r.shown()));
        }
        out.flush();
    }

    /** The state a person reads: an approval withdrawn shows as revoked. */
    static String state(ApprovalBoard.Request r) {
        return r.revoked() ? "revoked" : Wire.name(r.state());
    }

    private static String shortened(String text, int most) {
        return text.length() <= most ? text : text.substring(0, most - 1) + "…";
    }

    private static String age(Instant created, Instant now) {
        long s = Math.max(0, now.getEpochSecond() - created.getEpochSecond());
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
    }
}
