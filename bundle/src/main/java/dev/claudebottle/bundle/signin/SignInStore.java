package dev.claudebottle.bundle.signin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The host's credentials file in the folder the bundle was given: read whole, and written back
 * whole (every other key kept) to a temporary file beside it that is synced and renamed over it,
 * with the owner and group it had and mode 0600, as Claude Code writes it. No message quotes it.
 */
final class SignInStore {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path folder;
    private final Path file;

    SignInStore(Path folder) {
        this.folder = folder;
        this.file = folder.resolve(SignInFile.NAME);
    }

    Path folder() {
        return folder;
    }

    /** When the file last changed; none when there is no file. */
    Optional<FileTime> changed() {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The sign-in the file holds now, if any. */
    Optional<SignInFile.SignIn> read() throws IOException {
        return SignInFile.read(tree());
    }

    private Object tree() throws IOException {
        return SignInFile.tree(file, bytes -> JSON.readValue(bytes, Object.class));
    }

    /**
     * Writes {@code signIn} in place of the file's sign-in, if the file still holds the refresh token
     * {@code expected}; returns whether it did. The caller holds the write lock.
     */
    boolean replace(Secret expected, SignInFile.SignIn signIn) throws IOException {
        Object tree = tree();
        Optional<SignInFile.SignIn> now = SignInFile.read(tree);
        if (now.flatMap(SignInFile.SignIn::refreshToken).filter(r -> r.reveal().equals(expected.reveal())).isEmpty()) {
            return false;
        }
        write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(SignInFile.withSignIn(tree, signIn)));
        return true;
    }

    private void write(byte[] bytes) throws IOException {
        Object uid = Files.getAttribute(file, "unix:uid");
        Object gid = Files.getAttribute(file, "unix:gid");
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        Path tmp = folder.resolve(SignInFile.NAME + ".tmp." + HexFormat.of().formatHex(suffix));
        boolean renamed = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                writeAll(ch, bytes);
            }
            // the bundle writes as root; the file stays the host user's
            Files.setAttribute(tmp, "unix:uid", uid);
            Files.setAttribute(tmp, "unix:gid", gid);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // a folder that refuses the rename or the owner: written in place, which keeps both owner and mode
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeAll(ch, bytes);
            }
        } finally {
            if (!renamed) {
                Files.deleteIfExists(tmp);
            }
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
    }

    private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
        ch.force(true);
    }
}
