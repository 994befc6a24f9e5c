package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import dev.claudebottle.contract.TrustFile;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.spi.testing.Await;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayReloadTest {
    @TempDir
    Path temp;
    GatewayFixture gw;
    ServerSocket echo;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayFixture(temp, Map.of("echo.upstream.test", "127.0.0.1"));
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            while (!echo.isClosed()) {
                Socket s = echo.accept();
                pool.submit(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    }
                    return null;
                });
            }
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        echo.close();
        pool.shutdownNow();
    }

    /** A tunnel through the gateway: the socket after the gateway's 200. */
    private Socket tunnel() throws Exception {
        Socket s = new Socket(gw.address.getAddress(), gw.address.getPort());
        s.setSoTimeout(5000);
        s.getOutputStream().write(("CONNECT echo.upstream.test:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String status = in.readLine();
        assertThat(status).startsWith("HTTP/1.1 200");
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            // headers of the 200
        }
        return s;
    }

    private static String roundTrip(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] buf = new byte[text.length() + 1];
        int n = 0;
        while (n < buf.length) {
            int r = s.getInputStream().read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).strip();
    }

    @Test
    void aReloadKeepsAnOpenTunnelAliveAndAppliesToNewConnections() throws Exception {
        gw.start(policy(List.of(allow("echo.upstream.test", echo.getLocalPort())), List.of()));
        try (Socket open = tunnel()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");

            gw.holder.set(CompiledPolicy.of(policy(List.of(), List.of())));

            assertThat(roundTrip(open, "after")).isEqualTo("after");
            assertThat(gw.raw("CONNECT echo.upstream.test:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n"))
                    .startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void theReloaderPicksUpARewrittenPolicyFileAndKeepsTheOldOneWhenTheNewIsBroken() throws Exception {
        Path file = temp.resolve("gateway/policy.json");
        Files.createDirectories(file.getParent());
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> allowEcho = Map.of("version", 2, "allow", List.of(Map.of("host", "echo.upstream.test",
                "ports", List.of(echo.getLocalPort()))), "routes", List.of(), "dlp", Map.of("action", "block"));
        json.writeValue(file.toFile(), Map.of("version", 2, "allow", List.of(), "routes", List.of()));
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PolicyReloader reloader = new PolicyReloader(file, new GatewayPolicyReader(Map.of(), TrustFile.NONE), gw.holder,
                new DaemonLog("gateway", new PrintStream(logged, true, StandardCharsets.UTF_8)));
        assertThat(reloader.reload()).isTrue();
        gw.start(gw.holder.get().source());
        try (reloader) {
            reloader.watch();
            assertThat(gw.raw("CONNECT echo.upstream.test:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n"))
                    .startsWith("HTTP/1.1 403");

            Path tmp = file.resolveSibling("policy.json.tmp");
            json.writeValue(tmp.toFile(), allowEcho);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Await.until(Duration.ofSeconds(10), "the rewritten policy in force",
                    () -> !gw.holder.get().source().allow().isEmpty());
            try (Socket open = tunnel()) {
                assertThat(roundTrip(open, "reloaded")).isEqualTo("reloaded");
            }

            Files.writeString(file, "{ not json");
            assertThat(reloader.reload()).isFalse();
            assertThat(gw.holder.get().source().allow()).hasSize(1);
            assertThat(logged.toString(StandardCharsets.UTF_8)).contains("keeping the one in force");
        }
    }
}
