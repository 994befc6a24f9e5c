package dev.claudebottle.records;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines appended to a record file since the last look, read in bounded steps: whole lines only
 * (a line still being written waits for the next look), from the start of the file again when it
 * was rotated away under the reader. One reader on one thread.
 */
public final class RecordTail {
    /** The most bytes one look reads; what is beyond waits for the next. */
    static final int MOST_PER_LOOK = 1024 * 1024;
    private final Path file;
    private long position;
    /** Whether the rest of a line too long to read is being passed over. */
    private boolean skipping;

    /** A tail of {@code file} from its end: only lines written from now on. */
    public static RecordTail fromEnd(Path file) throws IOException {
        RecordTail tail = new RecordTail(file);
        tail.position = Files.exists(file) ? Files.size(file) : 0;
        return tail;
    }

    /** A tail of {@code file} from its start. */
    public RecordTail(Path file) {
        this.file = file;
    }

    /** The whole lines written since the last look, at most {@link #MOST_PER_LOOK} bytes of them. */
    public List<String> next() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // none yet, or a pipe or a link where the record belongs, which could hold the reader forever
            return lines;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < position) {
                // rotated: the new file starts from its beginning
                position = 0;
            }
            in.seek(position);
            byte[] bytes = new byte[(int) Math.min(MOST_PER_LOOK, in.length() - position)];
            in.readFully(bytes);
            int start = 0;
            if (skipping) {
                while (start < bytes.length && bytes[start] != '\n') {
                    start++;
                }
                skipping = start == bytes.length;
                start = Math.min(bytes.length, start + 1);
            }
            int end = bytes.length;
            while (end > start && bytes[end - 1] != '\n') {
                end--;
            }
            if (end == start && bytes.length == MOST_PER_LOOK) {
                // one line longer than a look (the gateway never writes one): passed over, not waited on forever
                skipping = true;
                position += bytes.length;
                return lines;
            }
            new String(bytes, start, end - start, StandardCharsets.UTF_8).lines().forEach(lines::add);
            position += Math.max(end, start);
        }
        return lines;
    }
}
