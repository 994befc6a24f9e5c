package dev.claudebottle.bundle.git;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a compressed file holds, so that a secret pushed inside a gzip or zip file is scanned like
 * one pushed plainly: the decompressed bytes of a gzip file; the names and contents of a zip
 * file's entries. Everything read is bounded by a total size; what does not decompress is left out.
 */
final class Compressed {
    private Compressed() {
    }

    /** The readings inside {@code content}, at most {@code limit} bytes in all; none for other files. */
    static List<byte[]> contents(byte[] content, long limit) {
        List<byte[]> out = new ArrayList<>();
        try {
            if (content.length > 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
                out.add(read(new GZIPInputStream(new ByteArrayInputStream(content)), limit));
            } else if (content.length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4) {
                long left = limit;
                try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
                    ZipEntry entry;
                    while ((entry = zip.getNextEntry()) != null && left > 0) {
                        out.add(entry.getName().getBytes(StandardCharsets.UTF_8));
                        byte[] bytes = read(zip, left);
                        left -= bytes.length;
                        out.add(bytes);
                    }
                }
            }
        } catch (IOException e) {
            // not what its first bytes claim: scanned as it is
        }
        return out;
    }

    private static byte[] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while (out.size() < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - out.size()))) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
