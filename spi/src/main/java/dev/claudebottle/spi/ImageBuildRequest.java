package dev.claudebottle.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code bottle image build} asks a backend for.
 *
 * @param agent   build the agent image
 * @param bundle  build the bundle image
 * @param base    the base image, when not the default {@code debian:bookworm-slim}
 * @param extraCa CA certificates (PEM) to trust during the build
 * @param force   rebuild even when an image with the same content tag exists
 */
public record ImageBuildRequest(boolean agent, boolean bundle, Optional<String> base, List<Path> extraCa,
                                boolean force) {
    /** Copies the list. */
    public ImageBuildRequest {
        Objects.requireNonNull(base, "base");
        extraCa = List.copyOf(extraCa);
    }
}
