package dev.claudebottle.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record read as it grows: whole lines only, from the start again after a rotation, in bounded steps. */
class RecordTailTest {
    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void wholeLinesComeOnceAndAHalfWrittenOneWaits() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        RecordTail tail = new RecordTail(file);
        assertThat(tail.next()).as("no file yet").isEmpty();
        append(file, "{\"a\":1}\n{\"b\":");

        assertThat(tail.next()).containsExactly("{\"a\":1}");
        assertThat(tail.next()).isEmpty();
        append(file, "2}\n");
        assertThat(tail.next()).containsExactly("{\"b\":2}");
    }

    @Test
    void aRotatedFileIsReadFromItsStartAndATailFromTheEndSkipsWhatWasThere() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        append(file, "{\"old\":1}\n{\"old\":2}\n");
        RecordTail fromEnd = RecordTail.fromEnd(file);
        RecordTail whole = new RecordTail(file);
        assertThat(whole.next()).hasSize(2);
        assertThat(fromEnd.next()).isEmpty();

        Files.move(file, dir.resolve("audit.jsonl.1"));
        append(file, "{\"new\":1}\n");
        assertThat(whole.next()).containsExactly("{\"new\":1}");
        assertThat(fromEnd.next()).containsExactly("{\"new\":1}");
    }

    @Test
    void aLineLongerThanALookIsSkippedNotWaitedOnForever() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        append(file, "x".repeat(RecordTail.MOST_PER_LOOK + 10) + "\n{\"after\":1}\n");
        RecordTail tail = new RecordTail(file);
        assertThat(tail.next()).isEmpty();
        assertThat(tail.next()).as("the rest of the long line, then the next").containsExactly("{\"after\":1}");
    }
}
