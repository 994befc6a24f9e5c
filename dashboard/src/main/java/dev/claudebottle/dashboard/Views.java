package dev.claudebottle.dashboard;

import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.spi.command.InertText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's data as JSON trees. Every text passes through {@link InertText} first, so characters
 * that hide or reorder text (bidi marks, controls) reach the page as visible escapes; the page
 * puts every text in as text, never as markup.
 */
final class Views {
    private Views() {
    }

    /** Every bottle, its texts made inert. */
    static List<Object> bottles(DashboardData data) {
        List<Object> rows = new ArrayList<>();
        data.bottles().forEach(row -> rows.add(inert(row)));
        return rows;
    }

    /** Every question, the pending ones first, newest first within each. */
    static List<Object> questions(ApprovalBoard board) {
        List<ApprovalBoard.Request> requests = new ArrayList<>(board.requests());
        requests.sort(Comparator.comparing((ApprovalBoard.Request r) -> !r.pending())
                .thenComparing(ApprovalBoard.Request::createdAt, Comparator.reverseOrder()));
        return requests.stream().<Object>map(Views::question).toList();
    }

    /** One question. */
    static Map<String, Object> question(ApprovalBoard.Request r) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("id", InertText.of(r.id()));
        q.put("bottle", InertText.of(r.slug()));
        q.put("asker", r.asker().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        q.put("kind", InertText.of(r.kind()));
        q.put("title", InertText.of(r.title()));
        q.put("details", InertText.of(r.details()));
        q.put("shown", InertText.of(r.shown()));
        q.put("state", r.state().name().toLowerCase(Locale.ROOT));
        q.put("reason", InertText.of(r.reason()));
        q.put("scope", r.scope().name().toLowerCase(Locale.ROOT));
        q.put("revoked", r.revoked());
        q.put("created_at", r.createdAt().toString());
        q.put("expires_at", r.expiresAt().toString());
        r.egress().ifPresent(e -> q.put("egress", egress(e)));
        r.decision().ifPresent(d -> {
            q.put("decided_at", d.decidedAt().toString());
            q.put("decided_by", d.by() == ApprovalQueueFiles.DecidedBy.HOST ? "a person" : "nobody, in time");
        });
        return q;
    }

    private static Map<String, Object> egress(ApprovalQueueFiles.Egress e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", InertText.of(e.host()));
        m.put("port", e.port());
        m.put("method", InertText.of(e.method()));
        m.put("path", InertText.of(e.path()));
        m.put("addresses", e.addresses().stream().map(InertText::of).toList());
        m.put("private_network", e.privateNetwork());
        m.put("websocket", e.websocket());
        return m;
    }

    /** {@code tree} with every string in it made inert. */
    static Object inert(Object tree) {
        if (tree instanceof String s) {
            return InertText.of(s);
        }
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(InertText.of(String.valueOf(k)), inert(v)));
            return out;
        }
        if (tree instanceof List<?> list) {
            return list.stream().map(Views::inert).toList();
        }
        return tree;
    }
}
