package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.trust.UpstreamTrust;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.provision.ca.CertificateAuthority;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.HostPattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real gateway on loopback with a fresh bottle CA, a separate CA for the upstreams, a resolver
 * that maps the tests' {@code .test} names, and an audit file.
 */
final class GatewayFixture implements AutoCloseable {
    static final String REAL_KEY = "sk-ant-api03-REAL-VALUE-only-the-gateway-knows-0123456789";
    static final String PLACEHOLDER = "bottle-placeholder";
    /** A sign-in token, as a {@code login: claude} route sends it after {@code Bearer }. */
    static final String REAL_TOKEN = "sk-ant-oat01-REAL-TOKEN-only-the-gateway-knows-9876543210";

    final Path dir;
    final LeafCertificates bottleCa;
    final LeafCertificates upstreamCa;
    final Path upstreamCaPem;
    final Path auditFile;
    final PolicyHolder holder;
    final Map<String, String> names;
    /** Every name the gateway looked up, in order. */
    final List<String> lookups = new java.util.concurrent.CopyOnWriteArrayList<>();
    GatewayServer server;
    AuditLog audit;
    InetSocketAddress address;
    Optional<dev.claudebottle.bundle.queue.ApprovalQueue> queue = Optional.empty();

    GatewayFixture(Path dir, Map<String, String> names) throws Exception {
        this.dir = dir;
        this.names = new java.util.concurrent.ConcurrentHashMap<>(names);
        new CertificateAuthority().mint("test-0001", dir.resolve("bottle-ca"));
        new CertificateAuthority().mint("upstreams", dir.resolve("upstream-ca"));
        this.bottleCa = LeafCertificates.load(dir.resolve("bottle-ca"));
        this.upstreamCa = LeafCertificates.load(dir.resolve("upstream-ca"));
        this.upstreamCaPem = dir.resolve("upstream-ca/ca.crt");
        this.auditFile = dir.resolve("audit/audit.jsonl");
        this.holder = new PolicyHolder(CompiledPolicy.of(policy(List.of(), List.of())));
    }

    /** Starts the gateway with a policy. */
    GatewayFixture start(GatewayPolicy policy) throws Exception {
        return start(policy, GatewayConfig.defaults("test-0001").listening("127.0.0.1", 0));
    }

    /** Makes {@code name} resolve to {@code ip} from now on, as a rebinding DNS server would. */
    void rebind(String name, String ip) {
        names.put(name, ip);
    }

    /** Starts the gateway with a policy and an approval queue in {@code queueDir}. */
    GatewayFixture startAsking(GatewayPolicy policy, Path queueDir) throws Exception {
        this.queue = java.util.Optional.of(new dev.claudebottle.bundle.queue.ApprovalQueue(queueDir, "test-0001",
                java.time.Clock.systemUTC()));
        return start(policy);
    }

    GatewayFixture start(GatewayPolicy policy, GatewayConfig config) throws Exception {
        holder.set(CompiledPolicy.of(policy));
        HostResolver resolver = host -> {
            lookups.add(host);
            String ip = names.get(host);
            if (ip == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(ip));
        };
        audit = new AuditLog(auditFile);
        server = new GatewayServer(config, holder, java.util.concurrent.CompletableFuture.completedFuture(bottleCa),
                java.util.concurrent.CompletableFuture.completedFuture(UpstreamTrust.clientContext(
                        Optional.of(upstreamCaPem))), resolver, audit, queue);
        address = server.start();
        return this;
    }

    static GatewayPolicy policy(List<PolicyFile.Rule> allow, List<GatewayPolicy.Route> routes) {
        return new GatewayPolicy(allow, routes, DlpAction.BLOCK, List.of(), Optional.empty(), Optional.empty());
    }

    static PolicyFile.Rule allow(String host, int port) {
        return new PolicyFile.Rule(new HostPattern(host), List.of(port), List.of(), List.of(), false);
    }

    static PolicyFile.Rule allow(String host, int port, List<String> methods, List<String> paths,
                                     boolean allowPrivate) {
        return new PolicyFile.Rule(new HostPattern(host), List.of(port), methods, paths, allowPrivate);
    }

    static GatewayPolicy.Route route(String host, int port, String header) {
        return new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(host), List.of(port), List.of(), List.of(),
                true), header, Secret.of(REAL_KEY), Optional.of(PLACEHOLDER), false);
    }

    /** A route that sends {@code Authorization: Bearer} and the real token. */
    static GatewayPolicy.Route bearerRoute(String host, int port) {
        return new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(host), List.of(port), List.of(), List.of(),
                true), "authorization", Secret.of("Bearer " + REAL_TOKEN), Optional.of(PLACEHOLDER), false);
    }

    /** A route whose value may also go over plain HTTP. */
    static GatewayPolicy.Route plainRoute(String host, int port, String header) {
        return new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(host), List.of(port), List.of(), List.of(),
                true), header, Secret.of(REAL_KEY), Optional.of(PLACEHOLDER), true);
    }

    /** An HTTP/1.1 client through the gateway, trusting the bottle CA and/or the upstream CA. */
    HttpClient client(boolean trustBottle, boolean trustUpstream) throws Exception {
        List<X509Certificate> anchors = new ArrayList<>();
        if (trustBottle) {
            anchors.add(bottleCa.ca());
        }
        if (trustUpstream) {
            anchors.add(upstreamCa.ca());
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            ks.setCertificateEntry("ca" + i, anchors.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(ProxySelector.of(address))
                .sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A PEM file with the CAs a curl client should trust. */
    Path curlCaBundle() throws IOException {
        Path bundle = dir.resolve("curl-ca.pem");
        Files.writeString(bundle, Files.readString(dir.resolve("bottle-ca/ca.crt"))
                + Files.readString(upstreamCaPem));
        return bundle;
    }

    /** Sends raw bytes to the gateway and returns everything it answers until it closes. */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    List<String> auditLines() throws IOException {
        return Files.exists(auditFile) ? Files.readAllLines(auditFile) : List.of();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
