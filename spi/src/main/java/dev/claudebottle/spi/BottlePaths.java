package dev.claudebottle.spi;

import java.nio.file.Path;
import java.util.Optional;

/** Where claude-bottle keeps its state and where its distribution is installed. Injectable. */
public interface BottlePaths {
    /** {@code CLAUDE_BOTTLE_HOME}: state, default {@code ~/.claude-bottle}. */
    Path home();

    /** The folder holding every bottle's state dir. */
    default Path bottlesDir() {
        return home().resolve("bottles");
    }

    /** The state dir of one bottle. */
    default Path bottleDir(String slug) {
        return bottlesDir().resolve(slug);
    }

    /** The folder holding every bottle's record. */
    default Path recordsDir() {
        return home().resolve("records");
    }

    /**
     * Where one bottle's record is kept (its gateway's audit log, its lifecycle): outside its state
     * dir, so that {@code bottle stop} and {@code gc} leave it.
     */
    default Path recordDir(String slug) {
        return recordsDir().resolve(slug);
    }

    /** The installed distribution (with {@code images/} and {@code plugins/}), when known. */
    Optional<Path> distribution();
}
