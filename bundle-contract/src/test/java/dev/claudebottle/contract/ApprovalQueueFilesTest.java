package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalQueueFilesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");

    @Test
    void everyKindOfFileReadsBackAsWritten() {
        var request = new ApprovalQueueFiles.Request("1a2b3c4d", "coder-0001", "push to main", "git push origin main",
                "push", NOW, NOW.plusSeconds(600), "0f".repeat(32));
        var decision = new ApprovalQueueFiles.Decision("1a2b3c4d", ApprovalQueueFiles.DENIED, "open a PR", NOW, "host");
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
        var scoped = new ApprovalQueueFiles.Decision("9a8b7c6d", ApprovalQueueFiles.APPROVED, "", NOW, "host",
                ApprovalQueueFiles.SCOPE_MANIFEST);
        assertThat(ApprovalQueueFiles.Decision.fromJson(scoped.toJson())).isEqualTo(scoped);
        assertThat(decision.scope()).as("what a decision names no scope for").isEqualTo(ApprovalQueueFiles.SCOPE_BOTTLE);
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
                ApprovalQueueFiles.APPROVED, "", NOW, "host").toJson());
        tree.put("state", "maybe");
        assertThatThrownBy(() -> ApprovalQueueFiles.Decision.fromJson(tree))
                .hasMessage("state is not approved, denied or expired");
        tree.put("state", ApprovalQueueFiles.APPROVED);
        tree.put("decided_at", "yesterday");
        assertThatThrownBy(() -> ApprovalQueueFiles.Decision.fromJson(tree))
                .hasMessage("decided_at is not a time like 2026-01-31T12:00:00Z");
    }
}
