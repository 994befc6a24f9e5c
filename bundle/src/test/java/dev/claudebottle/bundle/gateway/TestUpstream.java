package dev.claudebottle.bundle.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real upstream on loopback (HTTP, or HTTPS with a certificate from its own CA) that records
 * every request it receives and answers with a small body, or a large one on {@code /large}.
 */
final class TestUpstream implements AutoCloseable {
    /** What one request looked like when it arrived. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final String name;

    private TestUpstream(HttpServer server, String name) {
        this.server = server;
        this.name = name;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** An HTTPS upstream answering as {@code name}, its certificate signed by {@code ca}. */
    static TestUpstream https(String name, LeafCertificates ca) throws Exception {
        return https(name, ca, InetAddress.getLoopbackAddress());
    }

    /** An HTTPS upstream on {@code address}. */
    static TestUpstream https(String name, LeafCertificates ca, InetAddress address) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 512);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls(name, ca)));
        return new TestUpstream(server, name);
    }

    /** An HTTPS upstream whose handshake sends its own certificate alone, not its CA's too. */
    static TestUpstream httpsWithoutItsCa(String name, LeafCertificates ca) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls(new Certificate[] {ca.mint(name)}, ca)));
        return new TestUpstream(server, name);
    }

    /** A server's TLS for {@code name}, its certificate signed by {@code ca}. */
    static SSLContext serverTls(String name, LeafCertificates ca) throws Exception {
        return serverTls(new Certificate[] {ca.mint(name), ca.ca()}, ca);
    }

    private static SSLContext serverTls(Certificate[] chain, LeafCertificates ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", ca.leafKey(), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    /** A plain HTTP upstream. */
    static TestUpstream http(String name) throws IOException {
        return http(name, InetAddress.getLoopbackAddress());
    }

    /** A plain HTTP upstream on {@code address}. */
    static TestUpstream http(String name, InetAddress address) throws IOException {
        return new TestUpstream(HttpServer.create(new InetSocketAddress(address, 0), 512), name);
    }

    /**
     * An address of this machine that is not loopback, for an upstream that a decision which
     * refuses loopback may still reach; the test fails if the machine has none. Bridges a container
     * engine makes and removes (docker0, br-…, veth…) come last: one may vanish mid-test.
     */
    /**
     * A private-network IPv4 address of this machine (a Docker bridge's, where the engine runs), for
     * what the gateway does with hosts on private networks.
     */
    static InetAddress privateAddress() throws IOException {
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                // a bridge with nothing on it yet is not "up", and its address is this machine's all the same
                if (a instanceof java.net.Inet4Address && a.isSiteLocalAddress()) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("this machine has no private-network IPv4 address (10/8, 172.16/12, "
                + "192.168/16); the Docker engine's bridge has one once the engine runs (scripts/docker-engine.sh)");
    }

    static InetAddress nonLoopbackAddress() throws IOException {
        List<java.net.NetworkInterface> nics = new java.util.ArrayList<>(
                java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()));
        nics.sort(java.util.Comparator.comparing(nic -> nic.getName().matches("(docker|br-|veth|virbr).*")));
        for (var nic : nics) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("this machine has no IPv4 address other than loopback");
    }

    int port() {
        return server.getAddress().getPort();
    }

    int count() {
        return seen.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()),
                new String(body, StandardCharsets.UTF_8)));
        if (ex.getRequestURI().getPath().startsWith("/large")) {
            byte[] chunk = new byte[64 * 1024];
            ex.sendResponseHeaders(200, 16L * 1024 * 1024);
            for (int i = 0; i < 256; i++) {
                ex.getResponseBody().write(chunk);
            }
            ex.close();
            return;
        }
        byte[] reply = ("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, reply.length);
        ex.getResponseBody().write(reply);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
