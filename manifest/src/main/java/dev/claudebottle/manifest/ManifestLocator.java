package dev.claudebottle.manifest;

import dev.claudebottle.spi.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the manifest: {@code -f FILE}, else {@code ./bottle.yaml}, else
 * {@code $CLAUDE_BOTTLE_HOME/bottle.yaml}, else the embedded default.
 */
public final class ManifestLocator {
    /** The manifest's file name in the working directory and the state home. */
    public static final String FILE_NAME = "bottle.yaml";
    /** How messages name the embedded default. */
    public static final String EMBEDDED = "<embedded default>";
    private final Path workingDir;
    private final Path bottleHome;

    /**
     * @param workingDir the directory {@code ./bottle.yaml} is looked up in
     * @param bottleHome {@code CLAUDE_BOTTLE_HOME}
     */
    public ManifestLocator(Path workingDir, Path bottleHome) {
        this.workingDir = workingDir;
        this.bottleHome = bottleHome;
    }

    /** The manifest to use; {@code explicit} is the {@code -f} argument, if given. */
    public ManifestSource locate(Optional<Path> explicit) {
        if (explicit.isPresent()) {
            Path file = workingDir.resolve(explicit.get()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("manifest " + explicit.get() + " does not exist",
                        "pass the path of a bottle.yaml with -f, or leave -f out to use the default");
            }
            return fromFile(file);
        }
        Path here = workingDir.resolve(FILE_NAME);
        if (Files.isRegularFile(here)) {
            ManifestSource found = fromFile(here.toAbsolutePath().normalize());
            return new ManifestSource(found.name(), found.baseDir(), found.text(), true);
        }
        if (Files.isRegularFile(bottleHome.resolve(FILE_NAME))) {
            return fromFile(bottleHome.resolve(FILE_NAME).toAbsolutePath().normalize());
        }
        return embedded(workingDir);
    }

    /** The embedded default manifest; relative paths in it would resolve against {@code baseDir}. */
    public static ManifestSource embedded(Path baseDir) {
        try (InputStream in = ManifestLocator.class.getResourceAsStream("default-bottle.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the embedded default manifest is missing from the kernel jar");
            }
            return new ManifestSource(EMBEDDED, baseDir, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ManifestSource fromFile(Path file) {
        try {
            return new ManifestSource(file.toString(), file.getParent(), Files.readString(file));
        } catch (IOException e) {
            throw new BadInputException("cannot read manifest " + file + ": " + e.getMessage(),
                    "check the file's permissions");
        }
    }
}
