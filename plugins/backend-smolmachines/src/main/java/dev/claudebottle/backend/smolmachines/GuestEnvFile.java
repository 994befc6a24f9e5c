package dev.claudebottle.backend.smolmachines;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolved guest env of a running bottle, kept in its state dir: smolvm forgets it between
 * execs, so {@code bottle exec} reads it from here. It holds no secrets: the guest sees placeholders.
 */
final class GuestEnvFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    GuestEnvFile(Path stateDir) {
        this.file = stateDir.resolve("guest-env.json");
    }

    void write(Map<String, String> env) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), new TreeMap<>(env));
    }

    Optional<Map<String, String>> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
