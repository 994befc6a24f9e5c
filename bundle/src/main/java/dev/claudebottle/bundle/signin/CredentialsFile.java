package dev.claudebottle.bundle.signin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.SignInFile;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The host's {@code .credentials.json} as the bundle sees it through its mount: read bounded and
 * strictly, written the way Claude Code writes it (a private temp file renamed over it), keeping the
 * host user as its owner although the bundle writes as root. No message quotes the file's content.
 */
final class CredentialsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private final Path file;

    /** The credentials file in {@code folder}. */
    CredentialsFile(Path folder) {
        this.file = folder.resolve(SignInFile.NAME);
    }

    /** Its path. */
    Path path() {
        return file;
    }

    /** Its stamp now. */
    FileStamp stamp() {
        return FileStamp.of(file);
    }

    /**
     * Its parsed content.
     *
     * @throws IOException when it cannot be read, is too large or is not JSON; the message quotes none of it
     */
    Object readTree() throws IOException {
        return SignInFile.tree(file, bytes -> JSON.readValue(bytes, Object.class));
    }

    /** The sign-in it holds now, if any. */
    Optional<SignInFile.SignIn> readSignIn() throws IOException {
        return signIn(readTree());
    }

    /** The sign-in in a tree read from it. */
    Optional<SignInFile.SignIn> signIn(Object tree) throws IOException {
        try {
            return SignInFile.read(tree);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not what Claude Code writes: " + e.getMessage());
        }
    }

    /**
     * Replaces its content with {@code tree}: a temp file in the same folder, mode 0600, owned as the
     * old file is, synced and renamed over it; written in place (which keeps owner and mode) when the
     * rename or the change of owner is not allowed.
     */
    void write(Object tree) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(tree);
        Path temp = file.resolveSibling(SignInFile.NAME + ".tmp." + hex());
        // a temporary file that cannot be made or written (a full disk) fails the write-back: tried again later
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PRIVATE));
        try {
            writeSynced(temp, bytes);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            ownLike(temp);
            Files.setPosixFilePermissions(temp, PRIVATE);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // a mount that refuses the rename, or owners that cannot be kept: the old inode keeps both
            Files.deleteIfExists(temp);
            overwrite(bytes);
        }
    }

    /** Writes over the file without emptying it first, then cuts it to length: a reader never finds it empty. */
    private void overwrite(byte[] bytes) throws IOException {
        try (java.io.RandomAccessFile out = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            out.seek(0);
            out.write(bytes);
            out.setLength(bytes.length);
            out.getFD().sync();
        }
    }

    private void ownLike(Path temp) throws IOException {
        // the bundle writes as root; the host user must still own the file it signs in with
        Files.setAttribute(temp, "unix:uid", Files.getAttribute(file, "unix:uid"));
        Files.setAttribute(temp, "unix:gid", Files.getAttribute(file, "unix:gid"));
    }

    private static void writeSynced(Path path, byte[] bytes) throws IOException {
        // a stream, not a channel: stopping the keeper interrupts its thread, which must not cut a write short
        try (FileOutputStream out = new FileOutputStream(path.toFile())) {
            out.write(bytes);
            out.getFD().sync();
        }
    }

    private static String hex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
