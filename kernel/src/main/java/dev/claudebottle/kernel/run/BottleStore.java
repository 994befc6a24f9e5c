package dev.claudebottle.kernel.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.claudebottle.spi.bundle.AlertMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Keeps each bottle's record in {@code <state dir>/bottle.json}, written atomically. */
public final class BottleStore {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Creates the state dir (owner only) and writes the record. */
    public void write(Path stateDir, BottleRecord record) {
        try {
            if (!Files.isDirectory(stateDir)) {
                Files.createDirectories(stateDir.getParent());
                Files.createDirectory(stateDir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = stateDir.resolve("bottle.json.tmp");
            JSON.writeValue(tmp.toFile(), record);
            Files.move(tmp, stateDir.resolve("bottle.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of bottle " + record.slug(), e);
        }
    }

    /** Every record under {@code bottlesDir}, skipping unreadable ones. */
    public java.util.List<BottleRecord> all(Path bottlesDir) {
        java.util.List<BottleRecord> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(bottlesDir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(bottlesDir)) {
            for (Path dir : dirs.sorted().toList()) {
                read(dir).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + bottlesDir, e);
        }
        return out;
    }

    /** The record in a state dir, if there is a readable one. */
    public java.util.Optional<BottleRecord> read(Path stateDir) {
        Path file = stateDir.resolve("bottle.json");
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(JSON.readValue(file.toFile(), BottleRecord.class));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Deletes a bottle's state dir and everything in it (its CA key among them). The audit folder
     * of a bottle that raised an alert is kept first, as the record of what happened, under the
     * state home's {@code records/<slug>/audit}.
     */
    public void delete(Path stateDir) throws IOException {
        if (!Files.exists(stateDir)) {
            return;
        }
        Path audit = stateDir.resolve("audit");
        if (Files.exists(audit.resolve(AlertMarker.FILE))) {
            Path record = stateDir.getParent().resolveSibling("records").resolve(stateDir.getFileName().toString());
            Files.createDirectories(record);
            Files.move(audit, record.resolve("audit-" + System.currentTimeMillis()));
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The alert a bottle raised first, if it raised one (the bundle's marker beside its audit log). */
    public java.util.Optional<AlertMarker> alert(Path stateDir) {
        Path marker = stateDir.resolve("audit").resolve(AlertMarker.FILE);
        try {
            return Files.isRegularFile(marker) ? java.util.Optional.of(AlertMarker.fromJson(JSON.readValue(
                    marker.toFile(), Object.class))) : java.util.Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return java.util.Optional.of(new AlertMarker(java.time.Instant.EPOCH, "unreadable",
                    "the alert marker cannot be read: " + e.getMessage()));
        }
    }
}
