package dev.claudebottle.backend.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which state home a bottle's objects belong to, as the cluster sees it: a random id the home holds in
 * a file of its own, made at its first launch on a cluster. A path names no one: every CI runner's
 * home is {@code /root/.claude-bottle}. The file's presence also says that this home launched on a
 * cluster, so gc asks one only then.
 */
final class KubeHome {
    /** The file, in the state home, that holds its id. */
    static final String FILE = "kubernetes-home-id";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{40}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private KubeHome() {
    }

    /** The id of {@code home}, if it has one. */
    static Optional<String> of(Path home) {
        Path file = home.resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            return ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The id of {@code home}, made now if it has none; two launches making it at once agree on one. */
    static String ensure(Path home) {
        Optional<String> id = of(home);
        if (id.isPresent()) {
            return id.get();
        }
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        byte[] content = (HexFormat.of().formatHex(bytes) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = home.resolve(FILE);
        try {
            Files.createDirectories(home);
            Path made = Files.createTempFile(home, FILE, ".tmp");
            try {
                Files.write(made, content);
                // a link never replaces: the first one made is the home's for good, whole from its first read
                Files.createLink(file, made);
            } catch (FileAlreadyExistsException taken) {
                // another launch made it first
            } catch (UnsupportedOperationException | IOException noLinks) {
                writeNew(file, content);
            } finally {
                Files.deleteIfExists(made);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + home + " its id", e);
        }
        return read(home);
    }

    /** Writes {@code content} to {@code file} unless it exists: never replaces another launch's id. */
    private static void writeNew(Path file, byte[] content) throws IOException {
        try {
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException taken) {
            // another launch made it first
        }
    }

    /** The id, once it is whole: a file written in place (no links here) may be read half made. */
    private static String read(Path home) {
        for (int i = 0; i < 100; i++) {
            Optional<String> id = of(home);
            if (id.isPresent()) {
                return id.get();
            }
            Thread.onSpinWait();
        }
        return of(home).orElseThrow(() -> new IllegalStateException(home.resolve(FILE) + " holds no id"));
    }
}
