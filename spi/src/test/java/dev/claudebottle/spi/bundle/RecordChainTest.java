package dev.claudebottle.spi.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordChainTest {
    @TempDir
    Path dir;

    private Path record(int lines) throws Exception {
        Path file = dir.resolve("record.jsonl");
        Files.deleteIfExists(file);
        try (RecordChain chain = new RecordChain(file, 1 << 20, 3)) {
            for (int i = 0; i < lines; i++) {
                chain.append("{\"kind\":\"request\",\"n\":" + i + "}");
            }
        }
        return file;
    }

    private static void rewrite(Path file, java.util.function.Consumer<List<String>> change) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        change.accept(lines);
        Files.write(file, lines);
    }

    @Test
    void everyLineStartsWithItsSeqAndTheHashOfTheLineBefore() throws Exception {
        Path file = record(3);
        List<String> lines = Files.readAllLines(file);

        assertThat(lines.get(0)).startsWith("{\"seq\":0,\"prev\":\"" + RecordChain.GENESIS + "\",\"kind\":\"request\"");
        assertThat(lines.get(1)).startsWith("{\"seq\":1,\"prev\":\"" + RecordChain.sha256(lines.get(0)) + "\"");
        assertThat(RecordChain.verify(List.of(file))).isEmpty();
        assertThat(RecordChain.intact(List.of(file))).hasValueSatisfying(i -> {
            assertThat(i.lines()).isEqualTo(3);
            assertThat(i.head()).isEqualTo(RecordChain.sha256(lines.get(2)));
        });
    }

    @Test
    void anEditedLineIsCaughtWhereTheChainBreaks() throws Exception {
        Path file = record(5);
        rewrite(file, l -> l.set(2, l.get(2).replace("\"n\":2", "\"n\":9")));

        assertThat(RecordChain.verify(List.of(file))).hasValueSatisfying(b -> {
            assertThat(b.line()).isEqualTo(4);
            assertThat(b.what()).contains("does not chain to the line before it");
        });
    }

    @Test
    void aDeletedAnInsertedOrAMovedLineIsCaught() throws Exception {
        Path file = record(5);
        rewrite(file, l -> l.remove(2));
        assertThat(RecordChain.verify(List.of(file))).hasValueSatisfying(b -> assertThat(b.line()).isEqualTo(3));

        file = record(5);
        rewrite(file, l -> Collections.swap(l, 1, 3));
        assertThat(RecordChain.verify(List.of(file))).hasValueSatisfying(b -> assertThat(b.line()).isEqualTo(2));

        file = record(5);
        rewrite(file, l -> l.add(3, l.get(2)));
        assertThat(RecordChain.verify(List.of(file))).hasValueSatisfying(b -> assertThat(b.line()).isEqualTo(4));

        file = record(5);
        rewrite(file, l -> l.add(1, "{\"kind\":\"forged\"}"));
        assertThat(RecordChain.verify(List.of(file))).hasValueSatisfying(b -> {
            assertThat(b.line()).isEqualTo(2);
            assertThat(b.what()).contains("not a record line");
        });

        file = record(5);
        rewrite(file, l -> l.remove(0));
        assertThat(RecordChain.verify(List.of(file))).as("a record cut at its start that claims to start there")
                .isEmpty();
        rewrite(file, l -> l.set(0, l.get(0).replaceFirst("\"seq\":1,\"prev\":\"[0-9a-f]{64}\"",
                "\"seq\":0,\"prev\":\"" + "1".repeat(64) + "\"")));
        assertThat(RecordChain.verify(List.of(file))).as("a forged first line").isPresent();
    }

    @Test
    void rotationContinuesTheChainAcrossFiles() throws Exception {
        Path file = dir.resolve("record.jsonl");
        try (RecordChain chain = new RecordChain(file, 2048, 2)) {
            for (int i = 0; i < 100; i++) {
                chain.append("{\"kind\":\"request\",\"n\":" + i + ",\"pad\":\"" + "x".repeat(40) + "\"}");
            }
        }
        List<Path> files = RecordChain.files(file);

        assertThat(files).hasSize(3);
        assertThat(RecordChain.verify(files)).isEmpty();
        assertThat(RecordChain.intact(files)).hasValueSatisfying(i ->
                assertThat(i.firstSeq()).as("the oldest lines went with the oldest file").isPositive());
        assertThat(Files.readAllLines(files.get(2)).get(0)).startsWith("{\"seq\":")
                .contains(RecordChain.sha256(Files.readAllLines(files.get(1)).get(Files.readAllLines(files.get(1))
                        .size() - 1)));
    }

    @Test
    void aWriterSeesTheLinesOthersAppendedBeforeItsNextOne() throws Exception {
        Path file = dir.resolve("record.jsonl");
        Files.writeString(file, "");
        List<String> seen = new ArrayList<>();
        try (RecordChain host = new RecordChain(file, 1 << 20, 3); RecordChain bundle = new RecordChain(file, 1 << 20, 3)) {
            host.append("{\"kind\":\"lifecycle\",\"event\":\"start\"}");
            bundle.onOthersLines(seen::add);
            bundle.append("{\"kind\":\"request\"}");
            host.append("{\"kind\":\"lifecycle\",\"event\":\"verify\"}");
            bundle.append("{\"kind\":\"request\"}");
        }

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).contains("\"event\":\"start\"");
        assertThat(seen.get(1)).contains("\"event\":\"verify\"");
        assertThat(RecordChain.verify(List.of(file))).isEmpty();
    }

    @Test
    void aLineOfAnyLengthKeepsTheChainWholeForTheNextWriter() throws Exception {
        Path file = dir.resolve("record.jsonl");
        try (RecordChain bundle = new RecordChain(file, 32L << 20, 3)) {
            bundle.append("{\"kind\":\"request\"}");
            bundle.append("{\"kind\":\"supervise\",\"reason\":\"" + "x".repeat(2 << 20) + "\"}");
        }
        try (RecordChain host = new RecordChain(file, 32L << 20, 3)) {
            host.append("{\"kind\":\"lifecycle\",\"event\":\"stop\"}");
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).startsWith("{\"seq\":2,\"prev\":\"" + RecordChain.sha256(lines.get(1)) + "\"");
        assertThat(RecordChain.verify(List.of(file))).isEmpty();
    }

    @Test
    void twoProcessesAppendingAtOnceNeverInterleaveAndKeepOneChain() throws Exception {
        Path file = dir.resolve("record.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> writers = new ArrayList<>();
        for (String name : List.of("bundle", "cli")) {
            writers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    RecordChainWriter.class.getName(), file.toString(), "300", name).inheritIO().start());
        }
        for (Process p : writers) {
            assertThat(p.waitFor()).isZero();
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(600);
        assertThat(lines).filteredOn(l -> l.contains("\"writer\":\"bundle\"")).hasSize(300);
        assertThat(RecordChain.verify(List.of(file))).isEmpty();
    }
}
