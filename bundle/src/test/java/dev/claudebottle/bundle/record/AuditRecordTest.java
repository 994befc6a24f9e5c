package dev.claudebottle.bundle.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An audit line keeps the keys of a query, never its values. */
class AuditRecordTest {
    @Test
    void auditPathsKeepQueryKeysButNotValues() {
        assertThat(AuditRecord.stripQueryValues("/a/b?token=s3cr3t&x&y=1")).isEqualTo("/a/b?token=&x&y=");
        assertThat(AuditRecord.stripQueryValues("/plain")).isEqualTo("/plain");
    }
}
