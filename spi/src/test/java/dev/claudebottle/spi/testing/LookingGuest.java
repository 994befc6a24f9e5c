package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.Guest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A guest a probe may only run commands in and read what they print: every other call is refused. */
abstract class LookingGuest implements Guest {
    @Override
    public void copy(Path file, String path, String owner, int mode) {
        throw new UnsupportedOperationException("a probe only looks");
    }

    @Override
    public void write(byte[] content, String path, String owner, int mode) {
        throw new UnsupportedOperationException("a probe only looks");
    }

    @Override
    public void copyTree(Path directory, String path, String owner) {
        throw new UnsupportedOperationException("a probe only looks");
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, OutputStream out,
                             OutputStream err) {
        throw new UnsupportedOperationException("a probe reads what it runs");
    }

    @Override
    public int execInteractive(String user, List<String> argv, InputStream in, OutputStream out, int columns,
                               int rows) {
        throw new UnsupportedOperationException("a probe has no terminal");
    }
}
