package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.BottlePaths;
import java.nio.file.Path;
import java.util.Optional;

/** The paths of a state home a test chose, with no distribution. */
public final class FixedPaths {
    private FixedPaths() {
    }

    /** The paths of state home {@code home}. */
    public static BottlePaths at(Path home) {
        return new BottlePaths() {
            @Override
            public Path home() {
                return home;
            }

            @Override
            public Optional<Path> distribution() {
                return Optional.empty();
            }
        };
    }
}
