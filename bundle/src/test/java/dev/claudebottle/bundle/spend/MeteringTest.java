package dev.claudebottle.bundle.spend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.contract.UsageLine;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bottle's running total is kept beside its record and a restarted bundle goes on from it. */
class MeteringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void theRunningTotalIsKeptAndARestartedBundleGoesOnFromIt() throws Exception {
        Path budget = dir.resolve("budget.json");
        Files.writeString(budget, JSON.writeValueAsString(BudgetFile.toJson(new BudgetFile.Budget(Optional.of(100L),
                Optional.empty(), Optional.empty(), List.of()))));
        Path spent = dir.resolve(UsageLine.SPENT_FILE);
        try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
             Metering first = new Metering(Optional.of(budget), Optional.of(spent), audit, "web-1", Clock.systemUTC())) {
            first.add(Usage.of("claude-sonnet-4-5", 25, 15, 0, 0));
            first.add(Usage.of("claude-sonnet-4-5", 25, 15, 0, 0));
            assertThat(first.spent()).isEmpty();
        }
        UsageLine.Spent kept = UsageLine.Spent.fromJson(JSON.readValue(spent.toFile(), Object.class));
        assertThat(kept.tokens()).isEqualTo(80);
        assertThat(kept.usd()).isEqualByComparingTo(new BigDecimal("0.0006"));

        try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
             Metering again = new Metering(Optional.of(budget), Optional.of(spent), audit, "web-1", Clock.systemUTC())) {
            assertThat(again.total().tokens()).isEqualTo(80);
            again.add(Usage.of("claude-sonnet-4-5", 25, 15, 0, 0));
            assertThat(again.spent()).hasValueSatisfying(why -> assertThat(why).contains("120 of 100 tokens"));
        }
    }

    @Test
    void theLastBudgetLineIsKeptWithTheTotalForTheHostToShow() throws Exception {
        Path budget = dir.resolve("budget.json");
        Files.writeString(budget, JSON.writeValueAsString(BudgetFile.toJson(new BudgetFile.Budget(Optional.of(100L),
                Optional.empty(), Optional.of(50), List.of()))));
        Path spent = dir.resolve(UsageLine.SPENT_FILE);
        try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
             Metering metering = new Metering(Optional.of(budget), Optional.of(spent), audit, "web-1",
                     Clock.systemUTC())) {
            metering.add(Usage.of("claude-sonnet-4-5", 10, 10, 0, 0));
            metering.flush();
            assertThat(read(spent).notice()).isEmpty();

            metering.add(Usage.of("claude-sonnet-4-5", 20, 20, 0, 0));
            metering.flush();
            assertThat(read(spent).notice()).hasValueSatisfying(n -> assertThat(n).contains("60 of 100 tokens")
                    .doesNotContain("refused"));

            metering.add(Usage.of("claude-sonnet-4-5", 1, 1, 0, 0));
            metering.flush();
            // below the budget, past the share already told: the same line stays
            assertThat(read(spent).notice()).hasValueSatisfying(n -> assertThat(n).contains("60 of 100 tokens"));

            metering.add(Usage.of("claude-sonnet-4-5", 30, 30, 0, 0));
            metering.flush();
            assertThat(read(spent).notice()).hasValueSatisfying(n -> assertThat(n).contains("122 of 100 tokens")
                    .contains("the next call is refused"));
        }
    }

    private static UsageLine.Spent read(Path spent) throws java.io.IOException {
        return UsageLine.Spent.fromJson(JSON.readValue(spent.toFile(), Object.class));
    }

    @Test
    void anAnswerCutBeforeItsOutputWasReportedIsChargedAtLeastForTheTimeItRanUpToTheMostAModelWrites() {
        Usage streamed = Usage.of("claude-sonnet-4-5", 25, 100, 0, 0);

        assertThat(Metering.atLeast(streamed, java.time.Duration.ofMillis(200)).outputTokens())
                .as("the text streamed is more than 0.2 s of writing").isEqualTo(100);
        assertThat(Metering.atLeast(streamed, java.time.Duration.ofSeconds(240)).outputTokens())
                .as("four minutes of thinking streamed as a short summary").isEqualTo(60_000);
        assertThat(Metering.atLeast(streamed, java.time.Duration.ofHours(3)).outputTokens())
                .isEqualTo(Metering.MOST_OUTPUT);
        assertThat(Metering.atLeast(streamed, java.time.Duration.ofSeconds(240)).inputTokens()).isEqualTo(25);
    }
}
