package dev.claudebottle.contract;

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
        rewrite(file, l -> l.set(0, l.get(0).replaceFirst("\"prev\":\"[0-9a-f]{64}\"",
                "\"prev\":\"" + "1".repeat(64) + "\"")));
        assertThat(RecordChain.verify(List.of(file))).as("a forged first line").isPresent();
    }

    @Test
    void aRecordCutAtItsStartIsReportedNotAccepted() throws Exception {
        Path file = record(5);
        rewrite(file, l -> l.subList(0, 2).clear());

        assertThat(RecordChain.verify(List.of(file))).hasValueSatisfying(b -> {
            assertThat(b.line()).isEqualTo(1);
            assertThat(b.what()).contains("2 lines before it are gone");
        });
    }

    @Test
    void theOldestFileDeletedByHandIsReportedNotAccepted() throws Exception {
        Path file = dir.resolve("record.jsonl");
        try (RecordChain chain = new RecordChain(file, 2048, 2)) {
            for (int i = 0; i < 60; i++) {
                chain.append("{\"kind\":\"request\",\"n\":" + i + ",\"pad\":\"" + "x".repeat(40) + "\"}");
            }
        }
        List<Path> files = RecordChain.files(file);
        assertThat(files).hasSize(3);
        Files.delete(files.get(0));

        assertThat(RecordChain.verify(RecordChain.files(file))).as("lines gone without rotation saying so")
                .hasValueSatisfying(b -> assertThat(b.what()).contains("lines before it are gone"));
    }

    @Test
    void rotationLeavesInTheChainANoteOfWhatWentAwayThatMatchesTheFirstKeptLine() throws Exception {
        Path file = dir.resolve("record.jsonl");
        try (RecordChain chain = new RecordChain(file, 2048, 2)) {
            for (int i = 0; i < 100; i++) {
                chain.append("{\"kind\":\"request\",\"n\":" + i + ",\"pad\":\"" + "x".repeat(40) + "\"}");
            }
        }
        List<Path> files = RecordChain.files(file);
        String first = Files.readAllLines(files.get(0)).get(0);
        java.util.regex.Matcher head = java.util.regex.Pattern.compile("\"seq\":([0-9]+),\"prev\":\"([0-9a-f]{64})\"")
                .matcher(first);
        assertThat(head.find()).isTrue();
        StringBuilder all = new StringBuilder();
        for (Path f : files) {
            all.append(Files.readString(f));
        }

        assertThat(all.toString()).as("a line says which lines rotated away and names the hash they ended on")
                .contains("\"to_seq\":" + (Long.parseLong(head.group(1)) - 1) + ",\"head\":\"" + head.group(2)
                        + "\"");
        assertThat(RecordChain.intact(files)).hasValueSatisfying(i -> assertThat(i.rotatedAway())
                .hasValueSatisfying(r -> {
                    assertThat(r.toSeq()).isEqualTo(i.firstSeq() - 1);
                    assertThat(r.head()).isEqualTo(head.group(2));
                    assertThat(r.kinds()).containsOnlyKeys("request", "audit");
                    assertThat(r.reason()).contains(r.lines() + " line(s), seq " + r.fromSeq() + " to " + r.toSeq());
                }));
    }

    @Test
    void rotationNeverRemovesTheHostsLifecycleLines() throws Exception {
        Path file = dir.resolve("record.jsonl");
        try (RecordChain host = new RecordChain(file, 2048, 2); RecordChain bundle = new RecordChain(file, 2048, 2)) {
            host.append("{\"time\":\"2026-11-30T10:00:00Z\",\"kind\":\"lifecycle\",\"event\":\"start\"}");
            host.append("{\"time\":\"2026-11-30T10:00:01Z\",\"kind\":\"lifecycle\",\"event\":\"verify\"}");
            for (int i = 0; i < 500; i++) {
                bundle.append("{\"kind\":\"connect\",\"decision\":\"deny\",\"n\":" + i + "}");
            }
            host.append("{\"time\":\"2026-11-30T10:09:00Z\",\"kind\":\"lifecycle\",\"event\":\"stop\"}");
        }
        List<Path> files = RecordChain.files(file);
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(Files.readAllLines(f));
        }

        assertThat(lines).filteredOn(l -> l.contains("\"kind\":\"lifecycle\""))
                .extracting(l -> l.replaceFirst(".*\"event\":\"([a-z]+)\".*", "$1"))
                .containsExactly("start", "verify", "stop");
        assertThat(lines).filteredOn(l -> l.contains("\"n\":0}")).as("the flood's first lines did rotate away")
                .isEmpty();
        assertThat(lines).filteredOn(l -> l.contains("\"event\":\"start\"")).singleElement().asString()
                .as("a copy names the line it copies").contains("\"carried_seq\":0,\"carried_sha256\":\"");
        assertThat(RecordChain.verify(files)).isEmpty();
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
        assertThat(RecordChain.intact(files)).hasValueSatisfying(i -> {
            assertThat(i.firstSeq()).as("the oldest lines went with the oldest file").isPositive();
            assertThat(i.rotatedAway()).as("and a note says so").isPresent();
        });
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

    @Test
    void twoProcessesRotatingAtOnceKeepOneChainThatSaysWhatWentAway() throws Exception {
        Path file = dir.resolve("record.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> writers = new ArrayList<>();
        for (String name : List.of("bundle", "cli")) {
            writers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    RecordChainWriter.class.getName(), file.toString(), "400", name, "4096").inheritIO().start());
        }
        for (Process p : writers) {
            assertThat(p.waitFor()).isZero();
        }

        List<Path> files = RecordChain.files(file);
        assertThat(files).hasSize(4);
        assertThat(RecordChain.verify(files)).isEmpty();
        assertThat(RecordChain.intact(files)).hasValueSatisfying(i -> assertThat(i.rotatedAway()).isPresent());
    }
}
