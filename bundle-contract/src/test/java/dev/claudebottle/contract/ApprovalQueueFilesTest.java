package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalQueueFilesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");

    @Test
    void everyKindOfFileReadsBackAsWritten() {
        var request = new ApprovalQueueFiles.Request("1a2b3c4d", "coder-0001", "push to main", "git push origin main",
                "push", NOW, NOW.plusSeconds(600), "0f".repeat(32));
        var decision = new ApprovalQueueFiles.Decision("1a2b3c4d", ApprovalQueueFiles.State.DENIED, "open a PR", NOW,
                ApprovalQueueFiles.DecidedBy.HOST);
        var note = new ApprovalQueueFiles.Notification("5e6f7a8b", "coder-0001", "tests pass", NOW);

        assertThat(ApprovalQueueFiles.Request.fromJson(request.toJson())).isEqualTo(request);
        assertThat(ApprovalQueueFiles.Decision.fromJson(decision.toJson())).isEqualTo(decision);
        assertThat(ApprovalQueueFiles.Notification.fromJson(note.toJson())).isEqualTo(note);
        assertThat(ApprovalQueueFiles.fileName("1a2b3c4d")).isEqualTo("1a2b3c4d.json");
        var egress = new ApprovalQueueFiles.Request("9a8b7c6d", "coder-0001", ApprovalQueueFiles.Asker.GATEWAY,
                "egress to npm.test:80 (GET /x)", "", "egress", NOW, NOW.plusSeconds(60), "1e".repeat(32),
                java.util.Optional.of("npm.test:80"), java.util.Optional.of(new ApprovalQueueFiles.Egress("npm.test", 80,
                        "GET", "/x", java.util.List.of("10.0.0.7"), true)));
        assertThat(ApprovalQueueFiles.Request.fromJson(egress.toJson())).isEqualTo(egress);
        var revocation = new ApprovalQueueFiles.Revocation("9a8b7c6d", NOW, "no longer");
        assertThat(ApprovalQueueFiles.Revocation.fromJson(revocation.toJson())).isEqualTo(revocation);
        var scoped = new ApprovalQueueFiles.Decision("9a8b7c6d", ApprovalQueueFiles.State.APPROVED, "", NOW,
                ApprovalQueueFiles.DecidedBy.HOST, ApprovalQueueFiles.Scope.MANIFEST);
        assertThat(ApprovalQueueFiles.Decision.fromJson(scoped.toJson())).isEqualTo(scoped);
        assertThat(decision.scope()).as("what a decision names no scope for").isEqualTo(ApprovalQueueFiles.Scope.BOTTLE);
    }

    @Test
    void aRequestThatNamesNoAskerOrAnUnknownOneIsTheAgents() {
        Map<String, Object> tree = new HashMap<>(new ApprovalQueueFiles.Request("1a2b3c4d", "coder-0001",
                ApprovalQueueFiles.Asker.GATEWAY, "egress to x.test:443 (CONNECT)", "", "egress", NOW, NOW, "0f",
                java.util.Optional.of("x.test:443"), java.util.Optional.empty()).toJson());
        tree.remove("asker");
        assertThat(ApprovalQueueFiles.Request.fromJson(tree).asker()).isEqualTo(ApprovalQueueFiles.Asker.AGENT);
        tree.put("asker", "the gateway, honestly");
        assertThat(ApprovalQueueFiles.Request.fromJson(tree).asker()).isEqualTo(ApprovalQueueFiles.Asker.AGENT);
    }

    @Test
    void aDecisionWithAnUnknownStateOrAWrongTimeIsRefused() {
        Map<String, Object> tree = new HashMap<>(new ApprovalQueueFiles.Decision("1a2b3c4d",
                ApprovalQueueFiles.State.APPROVED, "", NOW, ApprovalQueueFiles.DecidedBy.HOST).toJson());
        tree.put("state", "maybe");
        assertThatThrownBy(() -> ApprovalQueueFiles.Decision.fromJson(tree))
                .hasMessage("state is not pending, approved, denied or expired");
        tree.put("state", "pending");
        assertThatThrownBy(() -> ApprovalQueueFiles.Decision.fromJson(tree))
                .hasMessage("a decision is approved, denied or expired, not pending");
        tree.put("state", "approved");
        tree.put("by", "the agent");
        assertThatThrownBy(() -> ApprovalQueueFiles.Decision.fromJson(tree)).hasMessage("by is not host or timeout");
        tree.put("by", "host");
        tree.put("decided_at", "yesterday");
        assertThatThrownBy(() -> ApprovalQueueFiles.Decision.fromJson(tree))
                .hasMessage("decided_at is not a time like 2026-01-31T12:00:00Z");
    }

    @Test
    void theFirstDecisionPlacedStandsAndALaterOneIsToldSo(@TempDir Path queue) throws Exception {
        Files.createDirectories(queue.resolve(ApprovalQueueFiles.DECISIONS));
        var person = new ApprovalQueueFiles.Decision("1a2b3c4d", ApprovalQueueFiles.State.APPROVED, "fine", NOW,
                ApprovalQueueFiles.DecidedBy.HOST);
        var timeout = new ApprovalQueueFiles.Decision("1a2b3c4d", ApprovalQueueFiles.State.EXPIRED, "late", NOW,
                ApprovalQueueFiles.DecidedBy.TIMEOUT);

        assertThat(ApprovalQueueFiles.place(queue, person, ApprovalQueueFilesTest::bytes)).isTrue();
        assertThat(ApprovalQueueFiles.place(queue, timeout, ApprovalQueueFilesTest::bytes)).isFalse();

        Path placed = queue.resolve(ApprovalQueueFiles.DECISIONS).resolve("1a2b3c4d.json");
        assertThat(Files.readString(placed)).isEqualTo(new String(bytes(person.toJson()), StandardCharsets.UTF_8));
        try (var left = Files.list(placed.getParent())) {
            assertThat(left).as("nothing is left aside").containsExactly(placed);
        }
    }

    @Test
    void aFileWrittenIntoAFolderAppearsWholeWithNothingAside(@TempDir Path folder) throws Exception {
        ApprovalQueueFiles.write(folder, "5e6f7a8b", "{\"id\":\"5e6f7a8b\"}".getBytes(StandardCharsets.UTF_8));
        ApprovalQueueFiles.write(folder, "5e6f7a8b", "{\"id\":\"again\"}".getBytes(StandardCharsets.UTF_8));

        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(folder.resolve("5e6f7a8b.json"));
        }
        assertThat(Files.readString(folder.resolve("5e6f7a8b.json"))).isEqualTo("{\"id\":\"again\"}");
    }

    /** A stand-in for a JSON library: the tree's text is enough to compare. */
    private static byte[] bytes(Map<String, Object> tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }
}
