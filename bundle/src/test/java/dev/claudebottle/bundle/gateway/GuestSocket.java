package dev.claudebottle.bundle.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A guest's connection through the gateway at the byte level: a plain proxy connection, or a
 * CONNECT tunnel the gateway intercepts, over which a test writes requests and reads responses
 * exactly as they are framed.
 */
final class GuestSocket implements AutoCloseable {
    /** A response as framed on the wire. */
    record Response(int status, List<String> headers, String body, List<String> trailers, String framing) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst().orElse(null);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** {@code http://host:port} for a plain connection (requests go in absolute form), else empty. */
    private final String origin;

    private GuestSocket(Socket socket, String origin) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.origin = origin;
    }

    /** A plain proxy connection; requests name {@code http://host:port} in absolute form. */
    static GuestSocket plain(GatewayFixture gw, String host, int port) throws IOException {
        return new GuestSocket(new Socket(gw.address.getAddress(), gw.address.getPort()),
                "http://" + host + ":" + port);
    }

    /** A CONNECT tunnel to {@code host:port}, TLS inside it trusting the bottle CA. */
    static GuestSocket intercepted(GatewayFixture gw, String host, int port) throws Exception {
        Socket raw = new Socket(gw.address.getAddress(), gw.address.getPort());
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write(("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String status = line(raw.getInputStream());
        if (status == null || !status.contains(" 200 ")) {
            throw new IOException("CONNECT refused: " + status);
        }
        while (!line(raw.getInputStream()).isEmpty()) {
            // headers of the 200
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("bottle", gw.bottleCa.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true);
        ssl.startHandshake();
        return new GuestSocket(ssl, "");
    }

    /** Sends a request: {@code head} is the method and path, {@code headerLines} end with CRLF each. */
    void send(String method, String path, String headerLines, String body) throws IOException {
        String target = origin + path;
        String text = method + " " + target + " HTTP/1.1\r\n" + headerLines
                + (body.isEmpty() ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                + "\r\n" + body;
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Writes bytes as they are. */
    void raw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads the status line and headers only. */
    Response head() throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("the connection closed before a response");
        }
        List<String> headers = new ArrayList<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            headers.add(h);
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, "", List.of(), "");
    }

    /** Reads one whole response to {@code method}, following its framing; 1xx responses are returned too. */
    Response read(String method) throws IOException {
        Response head = head();
        if (method.equals("HEAD") || head.status() < 200 || head.status() == 204 || head.status() == 304) {
            return new Response(head.status(), head.headers(), "", List.of(), "none");
        }
        String te = head.header("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return chunked(head);
        }
        String length = head.header("content-length");
        if (length != null) {
            byte[] body = in.readNBytes(Integer.parseInt(length));
            return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8), List.of(),
                    "length");
        }
        return new Response(head.status(), head.headers(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                List.of(), "close");
    }

    /** Reads chunks until {@code text} has arrived, without waiting for the end of the body. */
    String readChunksUntil(String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(text)) {
            int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            seen.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            line(in);
        }
        return seen.toString();
    }

    /** Reads the rest of a chunked body after {@link #readChunksUntil}. */
    Response restOfChunked(Response head) throws IOException {
        return chunked(head);
    }

    private Response chunked(Response head) throws IOException {
        StringBuilder body = new StringBuilder();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            line(in);
        }
        List<String> trailers = new ArrayList<>();
        String t;
        while ((t = line(in)) != null && !t.isEmpty()) {
            trailers.add(t);
        }
        return new Response(head.status(), head.headers(), body.toString(), trailers, "chunked");
    }

    /** Whether the gateway closed this connection (reads its end within the socket timeout). */
    boolean closedByGateway() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String line(InputStream in) throws IOException {
        return ScriptedUpstream.line(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
