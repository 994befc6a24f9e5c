package dev.claudebottle.records;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One bottle's record, as {@code bottle records ls} shows it.
 *
 * @param slug    the bottle
 * @param dir     its record dir
 * @param files   how many files (the current one and rotated ones)
 * @param bytes   their size
 * @param lines   how many lines
 * @param first   the time of the first line, when it has one
 * @param last    when it was last written
 * @param tainted whether the bottle raised an alert
 * @param running whether the bottle still runs (its state dir exists); a running bottle's record is never pruned
 */
public record RecordSummary(String slug, Path dir, int files, long bytes, long lines, Optional<Instant> first,
                            Instant last, boolean tainted, boolean running) {
    /** Requires every part. */
    public RecordSummary {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
    }
}
