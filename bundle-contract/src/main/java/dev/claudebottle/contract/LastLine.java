package dev.claudebottle.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The last line of a record file, of any length: found by reading back from the end a block at a
 * time and hashed as it is read forward, so a line of megabytes costs no more memory than one block
 * and the next writer still chains to it.
 *
 * @param seq  the line's sequence number, or -1 when it has none
 * @param hash the SHA-256 of its text
 */
record LastLine(long seq, String hash) {
    private static final int BLOCK = 64 << 10;
    /** Enough of a line's start to hold its {@code seq} and {@code prev}. */
    private static final int HEAD_BYTES = 128;

    /** The last line of the first {@code size} bytes of {@code in}, or nothing when they hold none. */
    static Optional<LastLine> of(FileChannel in, long size) throws IOException {
        long end = size;
        while (end > 0 && byteAt(in, end - 1) == '\n') {
            end--;
        }
        if (end == 0) {
            return Optional.empty();
        }
        long start = lineStart(in, end);
        MessageDigest sha = sha256();
        ByteBuffer block = ByteBuffer.allocate((int) Math.min(BLOCK, end - start));
        byte[] head = new byte[(int) Math.min(HEAD_BYTES, end - start)];
        int headLength = 0;
        for (long at = start; at < end; ) {
            block.clear().limit((int) Math.min(block.capacity(), end - at));
            int read = in.read(block, at);
            if (read < 0) {
                break;
            }
            int copy = Math.min(read, head.length - headLength);
            System.arraycopy(block.array(), 0, head, headLength, copy);
            headLength += copy;
            sha.update(block.array(), 0, read);
            at += read;
        }
        Matcher m = RecordChain.HEAD.matcher(new String(head, 0, headLength, StandardCharsets.UTF_8));
        return Optional.of(new LastLine(m.find() ? Long.parseLong(m.group(1)) : -1,
                HexFormat.of().formatHex(sha.digest())));
    }

    /** Where the line ending at {@code end} starts: just after the line break before it, or at 0. */
    private static long lineStart(FileChannel in, long end) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long to = end;
        while (to > 0) {
            long from = Math.max(0, to - BLOCK);
            block.clear().limit((int) (to - from));
            while (block.hasRemaining() && in.read(block, from + block.position()) >= 0) {
                // read the whole block
            }
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            to = from;
        }
        return 0;
    }

    private static byte byteAt(FileChannel in, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return in.read(one, position) == 1 ? one.get(0) : 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
