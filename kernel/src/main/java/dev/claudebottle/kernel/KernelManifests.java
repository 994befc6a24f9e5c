package dev.claudebottle.kernel;

import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.manifest.AllowRuleEditor;
import dev.claudebottle.manifest.ManifestLocator;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.Manifests;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.util.Optional;

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
        new AllowRuleEditor(file.toString()).save(file, record.bottle(), host, port, note, kernel::read);
        return file;
    }
}
