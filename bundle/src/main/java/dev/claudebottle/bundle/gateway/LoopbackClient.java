package dev.claudebottle.bundle.gateway;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTPS connection to {@code host}, through a proxy's CONNECT or direct, that sends
 * requests carrying a placeholder {@code x-api-key} and reads whole answers: the client of the
 * gateway's warm-up and of its benchmark. It checks the host's certificate, and takes only 200s.
 */
final class LoopbackClient implements AutoCloseable {
    /** The key every request carries, for a route to replace. */
    static final String PLACEHOLDER = "bottle-placeholder";
    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String hostHeader;
    private final byte[] buffer = new byte[64 * 1024];

    /** Connects to {@code host:port} (at 127.0.0.1 without a proxy) and completes the handshake. */
    LoopbackClient(Optional<InetSocketAddress> proxy, SSLContext trust, String host, int port) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(proxy.orElse(new InetSocketAddress("127.0.0.1", port)), 10_000);
            raw.setSoTimeout(30_000);
            if (proxy.isPresent()) {
                raw.getOutputStream().write(("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":"
                        + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // Unbuffered: not a byte of the TLS stream after the head may be consumed here.
                String head = readHead(raw.getInputStream());
                if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
                    throw new IOException("CONNECT refused: " + head.lines().findFirst().orElse(""));
                }
            }
            socket = (SSLSocket) trust.getSocketFactory().createSocket(raw, host, port, true);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        hostHeader = host + ":" + port;
    }

    /** A TLS context that trusts {@code ca} alone. */
    static SSLContext trusting(java.security.cert.X509Certificate ca) throws java.security.GeneralSecurityException,
            IOException {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    /** GETs a path and returns the body's length. */
    long get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nx-api-key: " + PLACEHOLDER
                + "\r\n\r\n", new byte[0]);
    }

    /** POSTs a JSON body to a path and returns the answer's body length. */
    long post(String path, byte[] json) throws IOException {
        return send("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nx-api-key: " + PLACEHOLDER
                + "\r\ncontent-type: application/json\r\ncontent-length: " + json.length + "\r\n\r\n", json);
    }

    private long send(String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String answer = readHead(in);
        if (!answer.startsWith("HTTP/1.1 200")) {
            String reason = answer.lines().filter(l -> l.regionMatches(true, 0, Responses.REASON_HEADER + ":", 0,
                    Responses.REASON_HEADER.length() + 1)).map(l -> " (" + l.strip() + ")").findFirst().orElse("");
            throw new IOException("unexpected answer: " + answer.lines().findFirst().orElse("") + reason);
        }
        long length = -1;
        for (String line : answer.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("no content-length in the answer");
        }
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("connection closed mid-body");
            }
            left -= n;
        }
        return length;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (head.length() > 16 * 1024) {
                throw new IOException("response head too long");
            }
            head.append((char) c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
