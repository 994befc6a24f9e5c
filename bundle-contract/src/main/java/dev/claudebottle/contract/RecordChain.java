package dev.claudebottle.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A bottle's record: one JSON object a line, each line starting with its sequence number and the
 * SHA-256 of the line before it ({@code {"seq":7,"prev":"…",…}}), so that a line edited, deleted,
 * inserted or moved breaks the chain where it happened. Several processes append to one record —
 * the bundle's daemons and the host's CLI — each under an exclusive lock on the file, reading the
 * line before from the file itself, so their lines never interleave and the chain stays whole (the
 * file is read only through the locked channel: closing any other descriptor of it would release a
 * POSIX lock). A
 * file that reaches its size is rotated ({@code .1}, …) and the new file's first line chains to the
 * rotated file's last. When the oldest file goes, a note of what it held ({@link RotatedAway}) and a
 * copy of each of its {@link #KEPT_KIND} lines are appended first: the record says what it lost, and
 * never loses the host's lifecycle lines ({@link #verify} accepts a record that does not start with the
 * chain's first line only when such a note accounts for the lines before it). A line may be of any
 * length: the next writer reads the line before back to its start. New files belong to the owner of
 * their folder, so a bundle running as root and a CLI running as the user can both append. JDK only.
 */
public final class RecordChain implements AutoCloseable {
    /** The size at which every writer of a bottle's record rotates its file: 32 MiB. */
    public static final long FILE_BYTES = 32L << 20;
    /** How many rotated files of a bottle's record are kept: three (128 MiB a bottle at most). */
    public static final int KEPT_FILES = 3;
    /** What the first line of a record chains to. */
    public static final String GENESIS = "0".repeat(64);
    /** The kind of line rotation never removes: the host's lifecycle lines, carried on when their file goes. */
    public static final String KEPT_KIND = "lifecycle";
    static final Pattern HEAD = Pattern.compile("^\\{\"seq\":([0-9]{1,18}),\"prev\":\"([0-9a-f]{64})\"");
    private static final int TAIL_BYTES = 1 << 20;
    private static final java.util.concurrent.ConcurrentMap<Path, Object> IN_PROCESS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Path file;
    private final long fileBytes;
    private final int keptFiles;
    private FileChannel channel;
    private Object fileKey;
    private long knownSize = -1;
    private Link last;
    private java.util.function.Consumer<String> others = line -> { };

    /** Where a chain stands: the next line's sequence number and the hash it chains to. */
    private record Link(long nextSeq, String hash) {
    }

    /**
     * Where a record stops chaining.
     *
     * @param file the file
     * @param line its line number, from 1
     * @param what what is wrong there
     */
    public record Break(Path file, int line, String what) {
        /** Requires every part. */
        public Break {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(what, "what");
        }
    }

    /**
     * What a whole record holds when it chains.
     *
     * @param lines       how many lines
     * @param firstSeq    the first line's sequence number (above 0 once the oldest files were rotated away)
     * @param head        the last line's hash: noted elsewhere, it proves later that nothing was cut off the end
     * @param rotatedAway when the first line is not the chain's first, the rotation note that accounts for the
     *                    lines before it (the last rotation's)
     */
    public record Intact(long lines, long firstSeq, String head, Optional<RotatedAway> rotatedAway) {
        /** Requires every part. */
        public Intact {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(rotatedAway, "rotatedAway");
        }
    }

    /**
     * A chain appending to {@code file}.
     *
     * @param fileBytes the size at which the file is rotated (a file passes it by the rotation note, when one
     *                  is written, and by a single line longer than it)
     * @param keptFiles how many rotated files are kept beside the current one, at least one: the rotation
     *                  note goes into the file rotated last
     */
    public RecordChain(Path file, long fileBytes, int keptFiles) throws IOException {
        if (keptFiles < 1) {
            throw new IllegalArgumentException("a record keeps at least one rotated file");
        }
        this.file = file.toAbsolutePath();
        this.fileBytes = fileBytes;
        this.keptFiles = keptFiles;
        Files.createDirectories(this.file.getParent());
    }

    /**
     * Hands the lines other writers appended since this one last wrote (read under the lock, at most
     * the last MiB of them) to {@code listener}, before this writer's next line, and the lines this
     * writer's rotation appends (the note, the carried lifecycle lines): how one writer's export sees
     * every line of the record.
     */
    public synchronized void onOthersLines(java.util.function.Consumer<String> listener) {
        this.others = listener;
    }

    /**
     * Appends one JSON object (its text, without a line break), chained.
     *
     * @return the line as written
     */
    public synchronized String append(String jsonObject) throws IOException {
        // a carriage return ends a line for readers too
        if (!jsonObject.startsWith("{") || jsonObject.indexOf('\n') >= 0 || jsonObject.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a record line is one JSON object without line breaks");
        }
        // a file lock serialises processes; writers in one process take turns on the file's monitor
        synchronized (IN_PROCESS.computeIfAbsent(file, f -> new Object())) {
            return appendLocked(jsonObject);
        }
    }

    private String appendLocked(String jsonObject) throws IOException {
        while (true) {
            open();
            boolean stale;
            try (FileLock lock = channel.lock()) {
                // stale: another writer rotated the file between our open and our lock, or this one must
                stale = fileKey == null || !fileKey.equals(currentKey());
                if (!stale) {
                    long size = channel.size();
                    if (size != knownSize && size > 0) {
                        othersSince(Math.max(0, knownSize), size);
                    }
                    Link before = size == knownSize && last != null ? last : tail(size);
                    String line = chained(before, jsonObject);
                    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    if (size > 0 && size + bytes.length > fileBytes) {
                        rotate(size, before);
                        stale = true;
                    } else {
                        knownSize = size + write(size, bytes);
                        last = new Link(before.nextSeq() + 1, sha256(line));
                        return line;
                    }
                }
            }
            if (stale) {
                closeChannel();
            }
        }
    }

    private static String chained(Link before, String jsonObject) {
        String body = jsonObject.length() == 2 ? "}" : "," + jsonObject.substring(1);
        return "{\"seq\":" + before.nextSeq() + ",\"prev\":\"" + before.hash() + "\"" + body;
    }

    /** Writes a line's bytes at {@code position} of the locked file, returning how many they are. */
    private int write(long position, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        channel.position(position);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return bytes.length;
    }

    private void open() throws IOException {
        if (channel != null && channel.isOpen()) {
            return;
        }
        while (true) {
            Object before = currentKey();
            FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (before == null) {
                ownLikeFolder(file);
            }
            // the file opened is the one at the path only if the path named it before and after: a writer
            // that rotates in between would otherwise leave this one holding a file rotated away, taken for current
            Object after = currentKey();
            if (before != null && before.equals(after)) {
                channel = opened;
                fileKey = after;
                knownSize = -1;
                return;
            }
            opened.close();
        }
    }

    /** The identity of the file at the record's path now; null while another writer rotates it away. */
    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** The link after the file's last line; in an empty file, after the last line of the file rotated before it. */
    private Link tail(long size) throws IOException {
        if (size > 0) {
            // through the locked channel: closing another descriptor of this file would drop the lock
            return linkAfter(LastLine.of(channel, size));
        }
        Path previous = rotated(1);
        if (Files.exists(previous)) {
            try (FileChannel rotatedFile = FileChannel.open(previous, StandardOpenOption.READ)) {
                return linkAfter(LastLine.of(rotatedFile, rotatedFile.size()));
            }
        }
        return new Link(0, GENESIS);
    }

    private static Link linkAfter(Optional<LastLine> line) {
        return line.map(l -> new Link(l.seq() + 1, l.hash())).orElse(new Link(0, GENESIS));
    }

    private void othersSince(long from, long size) throws IOException {
        long start = Math.max(from, size - TAIL_BYTES);
        ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
        while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
            // read through the locked channel
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        int first = start > from ? text.indexOf('\n') + 1 : 0;
        text.substring(first).lines().filter(l -> !l.isEmpty()).forEach(others);
    }

    /**
     * Moves the locked file aside as {@code .1}, the oldest going. What the oldest held is noted at the
     * end of the locked file before anything moves, so a writer stopped midway leaves a note of lines
     * still there, never lines gone without a note.
     */
    private void rotate(long size, Link before) throws IOException {
        Path oldest = rotated(keptFiles);
        if (Files.exists(oldest)) {
            long at = size;
            Link link = before;
            for (String jsonObject : Rotation.before(oldest, java.time.Instant.now())) {
                String line = chained(link, jsonObject);
                at += write(at, (line + "\n").getBytes(StandardCharsets.UTF_8));
                link = new Link(link.nextSeq() + 1, sha256(line));
                others.accept(line);
            }
            Files.delete(oldest);
        }
        for (int i = keptFiles - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** The files of the record in {@code file}'s folder, oldest first. */
    public static List<Path> files(Path file) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int n = 99; n >= 1; n--) {
            Path rotated = file.resolveSibling(file.getFileName() + "." + n);
            if (Files.exists(rotated)) {
                out.add(rotated);
            }
        }
        if (Files.exists(file)) {
            out.add(file);
        }
        return out;
    }

    /**
     * Walks the record's files, oldest first, and returns where it first stops chaining: every line must
     * chain to the one before it, and a first line that is not the chain's first must be accounted for by
     * a rotation note in the record.
     */
    public static Optional<Break> verify(List<Path> files) throws IOException {
        return RecordWalk.of(files).broken();
    }

    /** What the record holds, when it chains from end to end. */
    public static Optional<Intact> intact(List<Path> files) throws IOException {
        return RecordWalk.of(files).intact();
    }

    /** The hex SHA-256 of a line's text. */
    public static String sha256(String line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Gives a new file the owner and group of its folder; a writer that may not do that leaves it be. */
    public static void ownLikeFolder(Path path) {
        try {
            Path dir = path.getParent();
            Files.setOwner(path, Files.getOwner(dir));
            Files.setAttribute(path, "unix:gid", Files.getAttribute(dir, "unix:gid"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // the other writers run as the same user, or may write anyway
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
        }
        channel = null;
        last = null;
        knownSize = -1;
    }

    @Override
    public synchronized void close() throws IOException {
        closeChannel();
    }
}
