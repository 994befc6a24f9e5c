package dev.claudebottle.kernel;

import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.manifest.AllowRuleEditor;
import dev.claudebottle.manifest.ManifestLocator;
import dev.claudebottle.manifest.ManifestSource;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.ManifestChanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a person's changes into the manifest file a bottle came from: edits its text, reads the
 * result as a launch would (every plugin's section included), and only then replaces the file.
 */
final class ManifestFileChanges implements ManifestChanges {
    private final Kernel kernel;

    ManifestFileChanges(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Path allowHost(String slug, String host, int port, String note) {
        BottleRecord record = kernel.bottles().find(slug);
        if (record.manifest().equals(ManifestLocator.EMBEDDED)) {
            throw new BadInputException("bottle " + slug + " came from the embedded default manifest: there is no "
                    + "file to save " + host + " into", "approve with --scope bottle, and write a bottle.yaml");
        }
        Path file = Path.of(record.manifest());
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String changed = new AllowRuleEditor(file.toString()).allow(text, record.bottle(), host, port, note);
            kernel.read(new ManifestSource(file.toString(), file.getParent(), changed));
            Path aside = file.resolveSibling("." + file.getFileName() + ".saving");
            Files.writeString(aside, changed, StandardCharsets.UTF_8);
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException("the manifest of bottle " + slug + ", " + file + ", is gone",
                    "approve with --scope bottle");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + host + " into " + file + ": " + e.getMessage(), e);
        }
    }
}
