package dev.claudebottle.bundle.git;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Where one push's objects wait while the gate decides. JGit writes a push's pack before any hook
 * runs; received here, in a folder of this push's own beside the mirror's objects, a refused push
 * leaves nothing in the mirror. The push is received through a view of the mirror whose refs are
 * the mirror's and whose objects are this folder's and, read through, the mirror's. An accepted
 * push's pack is placed into the mirror before its refs move; the folder goes when the push ends.
 * Each push has a folder of its own, so removing one never takes what another push needs.
 */
final class Quarantine implements AutoCloseable {
    /** The folder of a mirror's git directory that holds its pushes in flight. */
    static final String FOLDER = "quarantine";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;
    private final Path mirrorPacks;
    private final FileRepository view;

    private Quarantine(Path dir, Path mirrorPacks, FileRepository view) {
        this.dir = dir;
        this.mirrorPacks = mirrorPacks;
        this.view = view;
    }

    /** A new quarantine for one push to the mirror whose git directory is {@code mirrorDir}. */
    static Quarantine open(Path mirrorDir) throws IOException {
        byte[] name = new byte[8];
        RANDOM.nextBytes(name);
        Path dir = Files.createDirectories(mirrorDir.resolve(FOLDER)).resolve(HexFormat.of().formatHex(name));
        Files.createDirectories(dir.resolve("pack"));
        try {
            FileRepository view = (FileRepository) new FileRepositoryBuilder().setGitDir(mirrorDir.toFile())
                    .setObjectDirectory(dir.toFile()).addAlternateObjectDirectory(mirrorDir.resolve("objects").toFile())
                    .setBare().setMustExist(true).build();
            // a gc after the push would repack this folder, which is thrown away; the gate compacts the mirror itself
            view.getConfig().setBoolean(ConfigConstants.CONFIG_RECEIVE_SECTION, null,
                    ConfigConstants.CONFIG_KEY_AUTOGC, false);
            return new Quarantine(dir, mirrorDir.resolve("objects").resolve("pack"), view);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** Removes what pushes left in flight when the gate stopped; only while no push is being received. */
    static void clear(Path mirrorDir) throws IOException {
        delete(mirrorDir.resolve(FOLDER));
    }

    /** The mirror as this push sees it: the mirror's refs, the mirror's objects and this push's. */
    Repository repository() {
        return view;
    }

    /**
     * Places what this push brought into the mirror, so its refs may move there. A pack is named by
     * the objects it holds, so one already in the mirror under the same name is the same pack.
     */
    void admit() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir.resolve("pack"))) {
            // the index before its pack: a reader that sees the pack finds its index
            files = listed.filter(f -> f.toString().endsWith(".idx") || f.toString().endsWith(".pack"))
                    .sorted(Comparator.comparing((Path f) -> f.toString().endsWith(".pack"))).toList();
        }
        for (Path file : files) {
            place(file, mirrorPacks.resolve(file.getFileName()));
        }
    }

    private static void place(Path file, Path target) throws IOException {
        try {
            Files.createLink(target, file);
        } catch (FileAlreadyExistsException e) {
            // the same objects are in the mirror already
        } catch (IOException | UnsupportedOperationException e) {
            // a file system without hard links: copied aside, then moved in whole
            Path aside = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.copy(file, aside, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(aside);
            }
        }
    }

    /** Closes the view and removes the folder with everything the push brought. */
    @Override
    public void close() throws IOException {
        view.close();
        delete(dir);
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
