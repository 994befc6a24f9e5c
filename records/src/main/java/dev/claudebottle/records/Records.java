package dev.claudebottle.records;

import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.RecordChain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The records bottles leave in the state home's {@code records/}, one folder a bottle, kept after
 * {@code bottle stop} and {@code gc}: listed, and pruned by a {@link Retention} — never the record
 * of a bottle that still runs.
 */
public final class Records {
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    private final BottlePaths paths;
    private final Clock clock;

    /** The records under {@code paths}. */
    public Records(BottlePaths paths, Clock clock) {
        this.paths = paths;
        this.clock = clock;
    }

    /** Every record, oldest last write first. */
    public List<RecordSummary> list() {
        List<RecordSummary> out = new ArrayList<>();
        if (!Files.isDirectory(paths.recordsDir())) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(paths.recordsDir())) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                out.add(summary(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + paths.recordsDir() + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RecordSummary::last).thenComparing(RecordSummary::slug));
        return out;
    }

    private RecordSummary summary(Path dir) throws IOException {
        String slug = dir.getFileName().toString();
        List<Path> files = RecordChain.files(dir.resolve(BundleLayout.RECORD_FILE));
        long bytes = 0;
        long lines = 0;
        Optional<Instant> first = Optional.empty();
        // when it was last written: its files' time, the folder's only when it holds none
        Instant last = files.isEmpty() ? Files.getLastModifiedTime(dir).toInstant() : Instant.EPOCH;
        for (Path f : files) {
            if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // a pipe or a link where a record file belongs is not read: it could hold the reader forever
                continue;
            }
            bytes += Files.size(f);
            Instant modified = Files.getLastModifiedTime(f).toInstant();
            last = modified.isAfter(last) ? modified : last;
            try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(f,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines++;
                    if (first.isEmpty()) {
                        first = time(line);
                    }
                }
            }
        }
        return new RecordSummary(slug, dir, files.size(), bytes, lines, first, last,
                new RecordDir(dir, slug).alert().isPresent(), Files.isDirectory(paths.bottleDir(slug)));
    }

    private static Optional<Instant> time(String line) {
        Matcher m = TIME.matcher(line);
        try {
            return m.find() ? Optional.of(Instant.parse(m.group(1))) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the records the retention no longer keeps: those last written before the age limit,
     * then the oldest until the rest fit the size limit. A running bottle's record stays and counts.
     *
     * @return the slugs whose records went
     */
    public List<String> prune(Retention retention) {
        List<RecordSummary> all = list();
        List<String> removed = new ArrayList<>();
        long total = all.stream().mapToLong(RecordSummary::bytes).sum();
        for (RecordSummary r : all) {
            if (r.running()) {
                continue;
            }
            boolean old = retention.maxAge().map(age -> r.last().isBefore(clock.instant().minus(age))).orElse(false);
            if (old || total > retention.maxBytes().orElse(Long.MAX_VALUE)) {
                delete(r.dir());
                total -= r.bytes();
                removed.add(r.slug());
            }
        }
        return removed;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the record " + dir + ": " + e.getMessage(), e);
        }
    }
}
