import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step: removes the signature files from every jar under the given folders. The JVM never
 * puts classes of a signed jar into a class-data-sharing archive and checks the signature of
 * every class it loads from one, which costs the CLI and the bundle a fifth of a second at each
 * start. Nothing relies on the signatures: BouncyCastle is used as a library, not as a JCE
 * provider that a JDK would insist be signed.
 *
 *   java cli/src/build/UnsignJars.java FOLDER...
 */
public final class UnsignJars {
    public static void main(String[] args) throws IOException {
        for (String folder : args) {
            Path root = Path.of(folder);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    unsign(jar);
                }
            }
        }
    }

    private static void unsign(Path jar) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path metaInf = zip.getPath("/META-INF");
            if (!Files.isDirectory(metaInf)) {
                return;
            }
            List<Path> signatures;
            try (Stream<Path> entries = Files.list(metaInf)) {
                signatures = entries.filter(UnsignJars::isSignature).toList();
            }
            for (Path signature : signatures) {
                Files.delete(signature);
            }
            if (!signatures.isEmpty()) {
                System.out.println("unsigned " + jar.getFileName());
            }
        }
    }

    private static boolean isSignature(Path entry) {
        String name = entry.getFileName().toString().toUpperCase(java.util.Locale.ROOT);
        return name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC");
    }
}
