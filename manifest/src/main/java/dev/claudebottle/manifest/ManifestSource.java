package dev.claudebottle.manifest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a manifest came from and its text.
 *
 * @param name    what messages call it (the path, or {@code <embedded default>})
 * @param baseDir the folder its relative paths are resolved against
 * @param text    its YAML text
 * @param implicit whether it was found in the working directory, not named with {@code -f}: a file
 *                 that came with whatever the person works in, a cloned repository say
 */
public record ManifestSource(String name, Path baseDir, String text, boolean implicit) {
    /** Requires every part. */
    public ManifestSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(text, "text");
    }

    /** A manifest the person named, or that is theirs. */
    public ManifestSource(String name, Path baseDir, String text) {
        this(name, baseDir, text, false);
    }
}
