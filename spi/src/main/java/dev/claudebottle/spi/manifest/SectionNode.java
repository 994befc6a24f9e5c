package dev.claudebottle.spi.manifest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node of the manifest as a {@link ManifestSection} reads it. Each accessor returns the value
 * when the node is what it asks for, and otherwise reports a problem at the node's location
 * (naming it by {@link #what()}) and returns empty, so one load reports every problem it finds.
 */
public interface SectionNode {
    /** Where the node stands in the manifest. */
    Location location();

    /** How messages name it, such as {@code bottles.web.supervise.timeout}. */
    String what();

    /** The node as a mapping whose keys must all be in {@code allowed}; an unknown key is a problem. */
    Optional<Fields> fields(String... allowed);

    /** A non-empty string. */
    Optional<String> string();

    /** A duration such as {@code 90s}, {@code 10m} or {@code 1h}. */
    Optional<Duration> duration();

    /** {@code true} or {@code false}. */
    Optional<Boolean> bool();

    /** A whole number from {@code min} to {@code max}. */
    Optional<Integer> integer(int min, int max);

    /** A number, whole or not (such as {@code 5} or {@code 4.50}), from {@code min} to {@code max}. */
    Optional<java.math.BigDecimal> number(java.math.BigDecimal min, java.math.BigDecimal max);

    /** The items of a list. */
    List<SectionNode> list();

    /** A file (or, with {@code directory}, a folder) that exists, relative to the manifest's folder. */
    Optional<Path> existingPath(boolean directory);

    /** Reports a problem at this node. */
    void problem(String message);

    /** A mapping whose keys were checked. */
    interface Fields {
        /** Where the mapping stands. */
        Location location();

        /** The value of {@code key}, if present. */
        Optional<SectionNode> get(String key);

        /** The value of {@code key}; its absence is reported as a problem. */
        Optional<SectionNode> require(String key);
    }
}
