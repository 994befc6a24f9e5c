package dev.claudebottle.contract;

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
     * The certificates of PEM files as one bundle in canonical PEM ({@link PemCertificates#write}),
     * whatever their layout, so the bundle's and the guest's readers load every one of them.
     *
     * @throws IOException when a file cannot be read or holds something that is not a certificate
     */
    public static byte[] bundle(List<Path> pems) throws IOException {
        List<byte[]> ders = new java.util.ArrayList<>();
        for (Path pem : pems) {
            try {
                ders.addAll(PemCertificates.read(Files.readString(pem, java.nio.charset.StandardCharsets.ISO_8859_1)));
            } catch (IllegalArgumentException e) {
                throw new IOException(pem + ": " + e.getMessage(), e);
            }
        }
        return PemCertificates.write(ders).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
