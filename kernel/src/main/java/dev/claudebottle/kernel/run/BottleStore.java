package dev.claudebottle.kernel.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.claudebottle.records.RecordDir;
import dev.claudebottle.spi.EventSink;
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

    /** Deletes a bottle's state dir and everything in it (its CA key among them); its record stays. */
    public void delete(Path stateDir) throws IOException {
        if (!Files.exists(stateDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Adds a lifecycle line to a bottle's record; a record that cannot be written is reported, not fatal. */
    public void lifecycle(Path recordDir, String slug, String event, String detail, EventSink events) {
        try {
            new RecordDir(recordDir, slug).lifecycle(event, detail, java.time.Clock.systemUTC());
        } catch (IOException e) {
            events.warn("could not add '" + event + "' to the record of " + slug + ": " + e.getMessage());
        }
    }
}
