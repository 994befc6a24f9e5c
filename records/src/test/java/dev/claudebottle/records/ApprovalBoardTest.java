package dev.claudebottle.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.contract.AlertMarker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The board's view of the bottles that raised an alert. */
class ApprovalBoardTest {
    @TempDir
    Path home;

    private void bottle(String slug, String marker) throws Exception {
        Files.createDirectories(home.resolve("bottles").resolve(slug));
        Path record = Files.createDirectories(home.resolve("records").resolve(slug));
        if (marker != null) {
            Files.writeString(record.resolve(AlertMarker.FILE), marker);
        }
    }

    @Test
    void everyRunningBottleWithAMarkerIsTaintedAndOneThatDoesNotReadIsToo() throws Exception {
        bottle("web-1a2b", "{\"at\": \"2026-11-30T07:00:00Z\", \"rule\": \"tripwire\", \"reason\": \"placeholder\"}");
        bottle("api-3c4d", "not json");
        bottle("db-5e6f", null);
        // a stopped bottle's record stays; it is no longer on the board
        Files.writeString(Files.createDirectories(home.resolve("records").resolve("old-7a8b"))
                .resolve(AlertMarker.FILE), "{}");

        var alerts = new ApprovalBoard(home.resolve("bottles"), Clock.systemUTC()).alerts();

        assertThat(alerts).containsOnlyKeys("web-1a2b", "api-3c4d");
        assertThat(alerts.get("web-1a2b").reason()).isEqualTo("placeholder");
        assertThat(alerts.get("api-3c4d").rule()).isEqualTo("unreadable");
    }
}
