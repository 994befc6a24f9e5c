package dev.claudebottle.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code bottle image build} and {@code bottle image push} ask a backend for.
 *
 * @param agent   build the agent image
 * @param bundle  build the bundle image
 * @param base    the base image, when not the default {@code debian:bookworm-slim}
 * @param extraCa CA certificates (PEM) to trust during the build
 * @param force   rebuild even when an image with the same content tag exists
 * @param push    the registry to push them to, e.g. {@code registry.example.com:5000/team}, if any
 */
public record ImageBuildRequest(boolean agent, boolean bundle, Optional<String> base, List<Path> extraCa,
                                boolean force, Optional<String> push) {
    /** Copies the list. */
    public ImageBuildRequest {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(push, "push");
        extraCa = List.copyOf(extraCa);
    }
}
