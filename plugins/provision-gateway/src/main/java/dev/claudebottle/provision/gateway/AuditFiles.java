package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottlePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a bottle's gateway audit log is: in its state dir while it runs, or under the state home's
 * {@code records/<slug>/} once a stopped bottle's record was kept; rotated files first, oldest
 * first, so lines come in the order they were written.
 */
final class AuditFiles {
    private AuditFiles() {
    }

    static List<Path> of(BottlePaths paths, String slug) {
        if (!slug.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new BadInputException("'" + slug + "' is not a bottle name", "bottle ls lists the bottles");
        }
        List<Path> dirs = new ArrayList<>();
        Path running = paths.bottleDir(slug).resolve("audit");
        if (Files.isDirectory(running)) {
            dirs.add(running);
        }
        Path kept = paths.home().resolve("records").resolve(slug);
        if (Files.isDirectory(kept)) {
            try (Stream<Path> records = Files.list(kept)) {
                records.filter(Files::isDirectory).sorted().forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + kept + ": " + e.getMessage(), e);
            }
        }
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> logs = Files.list(dir)) {
                logs.filter(f -> f.getFileName().toString().matches("audit\\.jsonl(\\.[0-9]+)?"))
                        .sorted(Comparator.comparing(AuditFiles::age).reversed()).forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new BadInputException("bottle " + slug + " has no audit log here", "bottle ls lists the bottles; "
                    + "a stopped bottle's log is kept only when it raised an alert, or give a copy with --audit FILE");
        }
        return files;
    }

    /** 0 for the current file, n for {@code audit.jsonl.n}: higher is older. */
    private static int age(Path file) {
        String name = file.getFileName().toString();
        return name.equals("audit.jsonl") ? 0 : Integer.parseInt(name.substring("audit.jsonl.".length()));
    }
}
