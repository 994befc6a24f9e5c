package dev.claudebottle.bundle.log;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.RecordChain;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bundle's standard error, also kept in a file beside the record ({@code bundle.log}) so that
 * {@code bottle logs SLUG} still shows it once the bundle is gone; the file stops at a size, and
 * says so.
 */
public final class KeptOutput extends OutputStream {
    /** The kept file's name in the record dir. */
    public static final String FILE = BundleLayout.KEPT_LOG;
    private final OutputStream console;
    private final OutputStream file;
    private final long cap;
    private long written;
    private boolean full;

    /** Writes to {@code console} and to {@code file}, the latter up to {@code cap} bytes. */
    public KeptOutput(OutputStream console, Path file, long cap) throws IOException {
        this.console = console;
        boolean created = !Files.exists(file);
        this.file = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (created) {
            RecordChain.ownLikeFolder(file);
        }
        this.written = Files.size(file);
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        console.write(b, off, len);
        if (full) {
            return;
        }
        if (written + len > cap) {
            full = true;
            file.write(("... " + FILE + " stops here at " + cap + " bytes\n").getBytes(StandardCharsets.UTF_8));
            file.flush();
            return;
        }
        file.write(b, off, len);
        written += len;
    }

    @Override
    public synchronized void flush() throws IOException {
        console.flush();
        file.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        file.close();
    }
}
