package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BottleException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec start protocol against an engine played on a unix socket: upgrade, input with its end, frames. */
class ExecInputAttachTest {
    @TempDir
    Path dir;

    @Test
    void inputArrivesWithItsEndAndFramesAreSplitOntoStdoutAndStderr() throws Exception {
        Path socket = dir.resolve("engine.sock");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture<String> engine = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    String request = readRequest(c);
                    write(c, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
                    // everything the command reads, up to the end the client signals by half-closing
                    ByteArrayOutputStream input = new ByteArrayOutputStream();
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    while (c.read(b) >= 0) {
                        input.write(b.array(), 0, b.position());
                        b.clear();
                    }
                    byte[] upper = input.toString(StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
                    // a frame header split from its payload, then a stderr frame, as separate writes
                    c.write(ByteBuffer.wrap(header(1, upper.length)));
                    c.write(ByteBuffer.wrap(upper));
                    c.write(ByteBuffer.wrap(concat(header(2, 4), "oops".getBytes(StandardCharsets.UTF_8))));
                    return request;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            new ExecInputAttach(URI.create("unix://" + socket)).run("abc123",
                    new ByteArrayInputStream("hello\nworld\n".getBytes(StandardCharsets.UTF_8)), out, err);

            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("HELLO\nWORLD\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops");
            String request = engine.get(10, TimeUnit.SECONDS);
            assertThat(request).startsWith("POST /exec/abc123/start HTTP/1.1\r\n").contains("Upgrade: tcp\r\n")
                    .endsWith("{\"Detach\":false,\"Tty\":false}");
        }
    }

    @Test
    void anEngineThatRefusesTheStartIsReportedWithItsMessage() throws Exception {
        Path socket = dir.resolve("engine.sock");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture.runAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    readRequest(c);
                    write(c, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 35\r\n\r\n"
                            + "{\"message\":\"No such exec instance\"}");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThatThrownBy(() -> new ExecInputAttach(URI.create("unix://" + socket)).run("gone",
                    java.io.InputStream.nullInputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                    .isInstanceOf(BottleException.class).hasMessageContaining("404")
                    .hasMessageContaining("No such exec instance");
        }
    }

    @Test
    void onlyConnectionsThatCanBeHalfClosedAreUsed() {
        assertThat(ExecInputAttach.supports(URI.create("unix:///var/run/docker.sock"), false)).isTrue();
        assertThat(ExecInputAttach.supports(URI.create("tcp://127.0.0.1:2375"), false)).isTrue();
        assertThat(ExecInputAttach.supports(URI.create("tcp://127.0.0.1:2376"), true)).isFalse();
        assertThat(ExecInputAttach.supports(URI.create("npipe:////./pipe/docker_engine"), false)).isFalse();
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    /** Reads the request's headers and its Content-Length body. */
    private static String readRequest(SocketChannel c) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            one.clear();
            if (c.read(one) < 0) {
                break;
            }
            seen.write(one.array(), 0, 1);
        }
        String head = seen.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        ByteBuffer body = ByteBuffer.allocate(length);
        while (body.hasRemaining() && c.read(body) >= 0) {
            // read the whole body
        }
        return head + new String(body.array(), StandardCharsets.ISO_8859_1);
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static byte[] header(int stream, int length) {
        return ByteBuffer.allocate(8).put(0, (byte) stream).putInt(4, length).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
