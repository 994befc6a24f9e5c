package dev.claudebottle.kernel;

import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.manifest.AllowRuleEditor;
import dev.claudebottle.manifest.ManifestLocator;
import dev.claudebottle.manifest.ManifestSource;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.Manifest;

/**
 * The kernel's manifests for plugins: found and read as every command reads them; a person's
 * change to the file a bottle came from is made to its text, read as a launch would read it
 * (every plugin's section included), and only then written.
 */
final class KernelManifests implements Manifests {
    private final Kernel kernel;

    KernelManifests(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Manifest load(Optional<Path> file) {
        return kernel.manifest(file);
    }

    @Override
    public Optional<BottleDef> bottleOf(String slug) {
        BottleRecord record;
        try {
            record = kernel.bottles().find(slug);
        } catch (BadInputException e) {
            return Optional.empty();
        }
        // a manifest that no longer loads is an error worth its own message, not an empty answer
        return Optional.ofNullable(kernel.manifestOf(record).bottles().get(record.bottle()));
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
