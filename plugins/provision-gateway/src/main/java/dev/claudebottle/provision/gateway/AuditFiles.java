package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.RecordChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The files of a bottle's record, running or stopped, oldest first. */
final class AuditFiles {
    private AuditFiles() {
    }

    static List<Path> of(BottlePaths paths, String slug) {
        if (!slug.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new BadInputException("'" + slug + "' is not a bottle name", "bottle records ls lists them");
        }
        List<Path> files;
        try {
            files = RecordChain.files(paths.recordDir(slug).resolve(BundleLayout.RECORD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the record of " + slug + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new BadInputException("bottle " + slug + " has no record here", "bottle records ls lists them; "
                    + "or give a copy of one with --audit FILE");
        }
        return files;
    }
}
