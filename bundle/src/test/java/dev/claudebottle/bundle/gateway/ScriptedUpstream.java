package dev.claudebottle.bundle.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback upstream that answers each request with bytes a test writes itself, so a test can
 * send any framing a real server sends (close-delimited bodies, trailers, 1xx, held-open streams)
 * and hold a response open as long as it likes.
 */
final class ScriptedUpstream implements AutoCloseable {
    /** A request as it arrived: its head lines and its body. */
    record Request(String requestLine, List<String> headers, byte[] body) {
        String method() {
            return requestLine.split(" ")[0];
        }

        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst().orElse(null);
        }
    }

    /** Writes the response to one request; returns whether the connection stays open for another. */
    interface Script {
        boolean answer(Request request, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-upstream");
        t.setDaemon(true);
        return t;
    });
    final List<Request> seen = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ScriptedUpstream(ServerSocket server, Script script) {
        this.server = server;
        threads.execute(() -> accept(script));
    }

    static ScriptedUpstream http(Script script) throws IOException {
        return new ScriptedUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    static ScriptedUpstream https(String name, LeafCertificates ca, Script script) throws Exception {
        ServerSocket server = TestUpstream.serverTls(name, ca).getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return new ScriptedUpstream(server, script);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept(Script script) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket, script));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, Script script) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                seen.add(request);
                boolean open = script.answer(request, out);
                out.flush();
                if (!open) {
                    return;
                }
            }
        } catch (Exception e) {
            // The peer went away or the test closed the upstream.
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        List<String> headers = new CopyOnWriteArrayList<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            headers.add(h);
        }
        Request head = new Request(line, headers, new byte[0]);
        String length = head.header("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Request(line, List.copyOf(headers), body);
    }

    /** One line of an HTTP head, without its CR LF; null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes text as ISO-8859-1 bytes and flushes. */
    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
    }
}
