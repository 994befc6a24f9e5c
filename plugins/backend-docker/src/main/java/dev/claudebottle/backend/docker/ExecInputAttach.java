package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BottleException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Starts a created exec with its standard input fed from a local stream, and demultiplexes its
 * output. docker-java's transports never close the write side of the hijacked connection, so a
 * command reading its input (cat, sh, wc) would wait for an end that never comes; like the docker
 * CLI, this writes the input, then half-closes the connection, and reads output frames until the
 * engine closes it. Only plain connections (a unix socket, TCP without TLS) can be half-closed.
 */
final class ExecInputAttach {
    private static final int HEADER = 8;
    private final URI dockerHost;

    ExecInputAttach(URI dockerHost) {
        this.dockerHost = dockerHost;
    }

    /** Whether an engine at this address can be reached over a connection that half-closes. */
    static boolean supports(URI dockerHost, boolean tls) {
        String scheme = dockerHost.getScheme();
        return "unix".equals(scheme) || ("tcp".equals(scheme) && !tls);
    }

    /** Runs the exec until its output ends; {@code in} is read on a daemon thread until its end. */
    void run(String execId, InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        try (SocketChannel channel = connect()) {
            byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
            String request = "POST /exec/" + execId + "/start HTTP/1.1\r\nHost: docker\r\n"
                    + "Content-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            write(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            write(channel, ByteBuffer.wrap(body));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            String status = readHeaders(channel, buffer);
            if (!status.contains(" 101 ") && !status.contains(" 200 ")) {
                throw new BottleException("the engine refused to start the command: " + status.strip()
                        + drain(channel, buffer));
            }
            pump(channel, in);
            demultiplex(channel, buffer, stdout, stderr);
        }
    }

    private SocketChannel connect() throws IOException {
        if ("unix".equals(dockerHost.getScheme())) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(dockerHost.getPath()));
            return channel;
        }
        return SocketChannel.open(new InetSocketAddress(dockerHost.getHost(), dockerHost.getPort()));
    }

    /** Copies the input to the engine, then closes the connection's write side: the command's end of input. */
    private static void pump(SocketChannel channel, InputStream in) {
        Thread thread = new Thread(() -> {
            byte[] chunk = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    write(channel, ByteBuffer.wrap(chunk, 0, n));
                }
            } catch (IOException e) {
                // the command ended first, or the input failed: either way its input ends here
            } finally {
                try {
                    if (channel.isOpen()) {
                        channel.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the connection is already gone
                }
            }
        }, "exec stdin");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads the response's status line and headers; what follows them stays in {@code buffer}. */
    private static String readHeaders(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (true) {
            String seen = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            int end = seen.indexOf("\r\n\r\n");
            if (end >= 0) {
                buffer.flip();
                buffer.position(end + 4);
                buffer.compact();
                return seen.substring(0, seen.indexOf("\r\n"));
            }
            if (!buffer.hasRemaining() || channel.read(buffer) < 0) {
                throw new BottleException("the engine closed the connection before answering the exec start");
            }
        }
    }

    /** Splits the engine's frames (type, three zero bytes, big-endian length, payload) onto the two outputs. */
    private static void demultiplex(SocketChannel channel, ByteBuffer buffer, OutputStream stdout,
                                    OutputStream stderr) throws IOException {
        while (true) {
            if (!fill(channel, buffer, HEADER)) {
                return;
            }
            buffer.flip();
            int type = buffer.get(0);
            int length = buffer.getInt(4);
            buffer.position(HEADER);
            buffer.compact();
            OutputStream target = type == 2 ? stderr : stdout;
            int left = length;
            while (left > 0) {
                if (buffer.position() == 0 && channel.read(buffer) < 0) {
                    return;
                }
                buffer.flip();
                int n = Math.min(left, buffer.remaining());
                target.write(buffer.array(), buffer.position(), n);
                buffer.position(buffer.position() + n);
                buffer.compact();
                left -= n;
            }
            target.flush();
        }
    }

    /** Reads until {@code buffer} holds at least {@code bytes}; false when the stream ended first. */
    private static boolean fill(SocketChannel channel, ByteBuffer buffer, int bytes) throws IOException {
        while (buffer.position() < bytes) {
            if (channel.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String drain(SocketChannel channel, ByteBuffer buffer) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            do {
                buffer.flip();
                body.write(buffer.array(), buffer.position(), buffer.remaining());
                buffer.clear();
            } while (body.size() < 4096 && channel.read(buffer) > 0);
        } catch (IOException e) {
            // what was read is enough to explain
        }
        String text = body.toString(StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : " " + text;
    }

    private static void write(SocketChannel channel, ByteBuffer out) throws IOException {
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }
}
