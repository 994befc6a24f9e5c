package dev.claudebottle.bundle;

import dev.claudebottle.contract.BundleLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The image build's training run: a refused plain request and a refused CONNECT through the
 * gateway on loopback, so the class-data archive recorded at exit holds what a bottle's first
 * requests load. No byte leaves the build container.
 */
final class WarmUp {
    private static final String HOST = "warm-up.invalid";

    private WarmUp() {
    }

    static void exercise(BundleMain.BundleSettings settings) throws IOException {
        if (settings.daemons().contains(BundleLayout.GATEWAY)) {
            int port = settings.gatewayPort();
            expectRefusal(port, "GET http://" + HOST + "/ HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
            expectRefusal(port, "CONNECT " + HOST + ":443 HTTP/1.1\r\nHost: " + HOST + ":443\r\n\r\n");
        }
    }

    private static void expectRefusal(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            String status = new String(head, 0, n, StandardCharsets.US_ASCII);
            if (!status.startsWith("HTTP/1.1 403")) {
                throw new IOException("the warm-up request was not refused: '" + status + "'");
            }
        }
    }
}
