package dev.claudebottle.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.UsageLine;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the gateway tells of a bottle's budget reaches the host once per new line. */
class BudgetNoticeWatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    /** Writes the running total as the gateway does: whole, moved into place. */
    private void spent(long tokens, Optional<String> notice) throws Exception {
        Path aside = dir.resolve(UsageLine.SPENT_FILE + ".tmp");
        Files.write(aside, JSON.writeValueAsBytes(new UsageLine.Spent(tokens, BigDecimal.ZERO, notice).toJson()));
        Files.move(aside, dir.resolve(UsageLine.SPENT_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void eachNewBudgetLineIsHandedOverOnceAndTheOneThereBeforeIsNot() throws Exception {
        spent(90, Optional.of("the bottle has spent 90 of 100 tokens (told before)"));
        LinkedBlockingQueue<String> told = new LinkedBlockingQueue<>();
        try (BudgetNoticeWatch watch = new BudgetNoticeWatch(new RecordDir(dir, "web-1a2b"), told::add)) {
            // a later total without a new line, then the budget spent: only the latter is told
            spent(95, Optional.of("the bottle has spent 90 of 100 tokens (told before)"));
            spent(120, Optional.of("the bottle has spent 120 of 100 tokens: the next call is refused"));
            assertThat(told.poll(10, TimeUnit.SECONDS)).contains("120 of 100 tokens");
            // the same line written again with the next total is not told twice; a new one is
            spent(121, Optional.of("the bottle has spent 120 of 100 tokens: the next call is refused"));
            spent(200, Optional.of("the bottle has spent 200 of 1,000 tokens"));
            assertThat(told.poll(10, TimeUnit.SECONDS)).contains("200 of 1,000 tokens");
            assertThat(told).isEmpty();
        }
    }

    @Test
    void aLongNoticeIsCutWhenRead() throws Exception {
        spent(1, Optional.of("x".repeat(5_000)));
        assertThat(new RecordDir(dir, "web-1a2b").spent().flatMap(UsageLine.Spent::notice))
                .hasValueSatisfying(n -> assertThat(n).hasSize(UsageLine.Spent.NOTICE_CAP));
    }
}
