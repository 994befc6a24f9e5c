package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.manifest.AlertAction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
    @Test
    void anEnumIsWrittenInLowerCaseWithDashesAndReadBack() {
        assertThat(Wire.name(ApprovalQueueFiles.Asker.GIT_GATE)).isEqualTo("git-gate");
        for (ApprovalQueueFiles.Asker a : ApprovalQueueFiles.Asker.values()) {
            assertThat(Wire.parse(ApprovalQueueFiles.Asker.class, Wire.name(a), "asker")).isEqualTo(a);
        }
    }

    @Test
    void aValueOfAnotherSpellingIsRefusedNamingEveryChoice() {
        assertThatThrownBy(() -> Wire.parse(ApprovalQueueFiles.Scope.class, "BOTTLE", "scope"))
                .hasMessage("scope is not request, bottle or manifest");
        assertThatThrownBy(() -> Wire.parse(ApprovalQueueFiles.DecidedBy.class, "", "by"))
                .hasMessage("by is not host or timeout");
    }

    @Test
    void anEnumVariableReadsWhatTheHostWroteAndRefusesTheRestByName() {
        var entry = BundleVariables.ON_ALERT.entry(AlertAction.STOP);
        assertThat(BundleVariables.ON_ALERT.read(Map.of(entry.name(), entry.value().orElseThrow()))).isEqualTo(AlertAction.STOP);
        assertThat(BundleVariables.ON_ALERT.read(Map.of())).isEqualTo(AlertAction.LOG);
        assertThatThrownBy(() -> BundleVariables.ON_ALERT.read(Map.of("CLAUDE_BOTTLE_ON_ALERT", "STOP")))
                .hasMessage("CLAUDE_BOTTLE_ON_ALERT is not log or stop");
    }
}
