package dev.claudebottle.bundle.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.TrustFile;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.manifest.DlpPattern;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the bundle base's trust file ({@link TrustFile}), once at start-up, for every daemon that
 * sends the guest's traffic out; a missing or malformed file fails start-up, naming the file.
 */
public final class TrustFileReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrustFileReader() {
    }

    /** The trust file at {@code file}. */
    public static TrustFile read(Path file) {
        try {
            return TrustFile.fromJson(JSON.readValue(file.toFile(), Object.class));
        } catch (IOException e) {
            throw new BottleException("cannot read the trust file " + file + ": " + e.getMessage(),
                    "the kernel writes it at launch; start the bottle again");
        } catch (IllegalArgumentException e) {
            throw new BottleException("trust file " + file + ": " + e.getMessage(),
                    "use a bundle image of the same version as the bottle CLI");
        }
    }

    /** The bottle's own secret patterns, as the scanner takes them. */
    public static List<DlpPattern> patterns(TrustFile trust) {
        return trust.dlpPatterns().stream().map(p -> new DlpPattern(p.name(), p.regex())).toList();
    }
}
