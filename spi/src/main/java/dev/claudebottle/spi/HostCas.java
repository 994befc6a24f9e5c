package dev.claudebottle.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The extra CA certificates this host trusts beyond the system's: every {@code *.crt} in
 * {@code /usr/local/share/ca-certificates}, where Debian-like systems keep a corporate proxy's CA.
 * Image builds trust them by default, and so do a bottle's upstream connections.
 */
public final class HostCas {
    /** Where the host keeps its extra CA certificates. */
    public static final Path DIR = Path.of("/usr/local/share/ca-certificates");

    private HostCas() {
    }

    /** The {@code *.crt} files directly in {@code dir}, sorted; none when it is not a directory. */
    public static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".crt") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * PEM files one after the other as one bundle, each ending in a line break, so that a file
     * without a final one cannot run its last line into the next file's first.
     */
    public static byte[] bundle(List<Path> pems) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Path pem : pems) {
            byte[] bytes = Files.readAllBytes(pem);
            out.write(bytes);
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }
}
