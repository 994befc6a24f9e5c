package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.trust.UpstreamTrust;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.provision.ca.CertificateAuthority;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.HostPattern;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The gateway benchmark (run by {@code bench/gateway.sh}): the same load — many small HTTPS
 * requests over many keep-alive connections, and one large download — directly, through a
 * gateway tunnel, through the gateway intercepting and injecting a header, and through mitmproxy
 * doing the same injection with a tiny addon. Everything runs on this machine's loopback.
 *
 * <p>The variants take turns: each round measures every variant once, in an order rotated from
 * the round before, and the ratios are taken within a round. The medians over the rounds are
 * reported, with their spread, so that one round disturbed by the JIT, a collection or a
 * neighbour on the machine does not decide the figure.
 */
public final class GatewayBench {
    private static final String HOST = "localhost";
    private final int connections;
    private final long smallMillis;
    private final int largeDownloads;
    private final int rounds;

    private GatewayBench(int connections, long smallMillis, int largeDownloads, int rounds) {
        this.connections = connections;
        this.smallMillis = smallMillis;
        this.largeDownloads = largeDownloads;
        this.rounds = rounds;
    }

    /** How a client reaches the upstream in one variant. */
    private record Route(String name, Optional<InetSocketAddress> proxy, SSLContext trust, int port) {
    }

    /** What one variant measured in one round of small requests. */
    private record Result(String name, double requestsPerSecond, double p50Millis, double p99Millis) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--gateway")) {
            GatewayProcess.serve(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        String mitmdump = args.length > 0 ? args[0] : "mitmdump";
        int connections = Integer.parseInt(System.getProperty("bench.connections", "32"));
        long seconds = Long.parseLong(System.getProperty("bench.seconds", "3"));
        new GatewayBench(connections, seconds * 1000, Integer.parseInt(System.getProperty("bench.large", "40")),
                Integer.parseInt(System.getProperty("bench.rounds", "5"))).run(mitmdump);
    }

    private void run(String mitmdump) throws Exception {
        Path dir = Files.createTempDirectory("claude-bottle-bench");
        new CertificateAuthority().mint("bench", dir.resolve("bottle-ca"));
        new CertificateAuthority().mint("upstreams", dir.resolve("upstream-ca"));
        LeafCertificates bottleCa = LeafCertificates.load(dir.resolve("bottle-ca"));
        LeafCertificates upstreamCa = LeafCertificates.load(dir.resolve("upstream-ca"));
        Path upstreamPem = dir.resolve("upstream-ca/ca.crt");
        try (BenchUpstream tunnelled = BenchUpstream.https(HOST, upstreamCa);
             BenchUpstream intercepted = BenchUpstream.https(HOST, upstreamCa)) {
            try (GatewayProcess gateway = GatewayProcess.start(dir, tunnelled.port(), intercepted.port())) {
                InetSocketAddress gw = gateway.address();
                Process mitm = startMitmproxy(mitmdump, dir, upstreamPem, intercepted.port());
                try {
                    InetSocketAddress mitmAddress = new InetSocketAddress("127.0.0.1", mitmPort);
                    SSLContext mitmTrust = trusting(readPem(dir.resolve("mitm/mitmproxy-ca-cert.pem")));
                    List<Route> routes = List.of(
                            new Route("direct", Optional.empty(), trusting(upstreamCa.ca()), tunnelled.port()),
                            new Route("gateway tunnel", Optional.of(gw), trusting(upstreamCa.ca()), tunnelled.port()),
                            new Route("gateway intercept", Optional.of(gw), trusting(bottleCa.ca()),
                                    intercepted.port()),
                            new Route("mitmproxy", Optional.of(mitmAddress), mitmTrust, intercepted.port()));
                    verifyInjection(routes.get(2), intercepted, "bench-real-value");
                    verifyInjection(routes.get(3), intercepted, "bench-real-value");
                    for (Route r : routes) {
                        warmUp(r);
                    }
                    List<List<Result>> byRound = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        Result[] results = new Result[routes.size()];
                        for (int i = 0; i < routes.size(); i++) {
                            int v = (i + round) % routes.size();
                            results[v] = measure(routes.get(v));
                        }
                        byRound.add(List.of(results));
                        System.out.printf("round %d of %d:", round + 1, rounds);
                        for (Result r : results) {
                            System.out.printf("  %s %.0f req/s p50 %.2f p99 %.2f ms;", r.name(), r.requestsPerSecond(),
                                    r.p50Millis(), r.p99Millis());
                        }
                        System.out.printf("  intercepted/mitmproxy=%.2f tunnel/direct=%.2f%n",
                                interceptRatio(byRound.get(round)), tunnelRatio(byRound.get(round)));
                    }
                    print(byRound, downloads(routes));
                } finally {
                    mitm.destroy();
                    mitm.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private int mitmPort;

    private Process startMitmproxy(String mitmdump, Path dir, Path upstreamPem, int injectPort) throws Exception {
        Path addon = dir.resolve("inject.py");
        Files.writeString(addon, "def request(flow):\n    if flow.request.port == " + injectPort + ":\n"
                + "        flow.request.headers['x-api-key'] = 'bench-real-value'\n");
        try (var probe = new java.net.ServerSocket(0)) {
            mitmPort = probe.getLocalPort();
        }
        Files.createDirectories(dir.resolve("mitm"));
        Process p = new ProcessBuilder(mitmdump, "-q", "--listen-host", "127.0.0.1", "-p", Integer.toString(mitmPort),
                "--set", "confdir=" + dir.resolve("mitm"), "--set", "ssl_verify_upstream_trusted_ca=" + upstreamPem,
                "-s", addon.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mitm/mitmdump.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(dir.resolve("mitm/mitmproxy-ca-cert.pem"))) {
                try (Socket s = new Socket("127.0.0.1", mitmPort)) {
                    return p;
                } catch (IOException notYet) {
                    // still starting
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("mitmdump exited: " + Files.readString(dir.resolve("mitm/mitmdump.log")));
            }
            Thread.sleep(100);
        }
        p.destroy();
        throw new IllegalStateException("mitmdump did not start within 60 s");
    }

    private void verifyInjection(Route route, BenchUpstream upstream, String expected) throws Exception {
        try (Client c = new Client(route)) {
            c.get("/small");
        }
        String got = upstream.lastApiKey();
        if (!expected.equals(got)) {
            throw new IllegalStateException(route.name() + " did not inject the header");
        }
    }

    private void warmUp(Route route) throws Exception {
        runSmall(route, 2000);
        try (Client c = new Client(route)) {
            for (int i = 0; i < 4; i++) {
                c.get("/large");
            }
        }
    }

    private Result measure(Route route) throws Exception {
        List<long[]> latencies = runSmall(route, smallMillis);
        long total = latencies.stream().mapToLong(a -> a.length).sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] a : latencies) {
            System.arraycopy(a, 0, all, k, a.length);
            k += a.length;
        }
        Arrays.sort(all);
        double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e6;
        double p99 = all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6;
        return new Result(route.name(), total / (smallMillis / 1000.0), p50, p99);
    }

    /**
     * MB/s of single large downloads, one connection kept per variant: the variants take turns,
     * download by download, so that each sample of one is taken beside one of every other.
     */
    private double[][] downloads(List<Route> routes) throws Exception {
        List<Client> clients = new ArrayList<>();
        try {
            for (Route r : routes) {
                clients.add(new Client(r));
            }
            double[][] samples = new double[routes.size()][largeDownloads];
            for (int i = 0; i < largeDownloads; i++) {
                for (int k = 0; k < routes.size(); k++) {
                    int v = (i + k) % routes.size();
                    long started = System.nanoTime();
                    long bytes;
                    try {
                        bytes = clients.get(v).get("/large");
                    } catch (IOException e) {
                        throw new IOException(routes.get(v).name() + ": large download failed: " + e.getMessage(), e);
                    }
                    samples[v][i] = bytes / 1e6 / ((System.nanoTime() - started) / 1e9);
                }
            }
            return samples;
        } finally {
            for (Client c : clients) {
                c.close();
            }
        }
    }

    private List<long[]> runSmall(Route route, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                futures.add(pool.submit(() -> {
                    long[] lat = new long[1024];
                    int n = 0;
                    try (Client c = new Client(route)) {
                        while (System.nanoTime() < end) {
                            long t = System.nanoTime();
                            c.get("/small");
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = System.nanoTime() - t;
                        }
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            List<long[]> out = new ArrayList<>();
            for (Future<long[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void print(List<List<Result>> byRound, double[][] downloads) {
        System.out.printf("%-18s %10s %9s %9s %9s   (medians: %d rounds of small requests, %d large downloads)%n",
                "variant", "req/s", "p50 ms", "p99 ms", "MB/s", byRound.size(), downloads[0].length);
        double[] megabytes = new double[downloads.length];
        for (int v = 0; v < byRound.get(0).size(); v++) {
            int variant = v;
            megabytes[v] = median(Arrays.stream(downloads[v]).sorted().toArray());
            System.out.printf("%-18s %10.0f %9.2f %9.2f %9.1f%n", byRound.get(0).get(v).name(),
                    median(byRound, r -> r.get(variant).requestsPerSecond()),
                    median(byRound, r -> r.get(variant).p50Millis()), median(byRound, r -> r.get(variant).p99Millis()),
                    megabytes[v]);
        }
        double[] intercept = sorted(byRound, GatewayBench::interceptRatio);
        double[] paired = new double[downloads[0].length];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = downloads[1][i] / downloads[0][i];
        }
        Arrays.sort(paired);
        System.out.printf("spread: intercepted/mitmproxy %.2f-%.2f over rounds; tunnel/direct %.2f-%.2f between the"
                + " quartiles of paired downloads%n", intercept[0], intercept[intercept.length - 1],
                paired[paired.length / 4], paired[paired.length * 3 / 4]);
        List<Result> first = byRound.get(0);
        List<Result> last = byRound.get(byRound.size() - 1);
        System.out.printf("warm-up: intercepted/mitmproxy %.2f in the first round, %.2f in the last: first/last=%.2f;"
                + " small requests tunnel/direct=%.2f (median over rounds)%n", interceptRatio(first),
                interceptRatio(last), interceptRatio(first) / interceptRatio(last),
                median(byRound, GatewayBench::tunnelRatio));
        System.out.printf("ratios: intercepted/mitmproxy=%.2f tunnel/direct=%.2f%n", median(intercept),
                megabytes[1] / megabytes[0]);
    }

    private static double tunnelRatio(List<Result> round) {
        return round.get(1).requestsPerSecond() / round.get(0).requestsPerSecond();
    }

    private static double interceptRatio(List<Result> round) {
        return round.get(2).requestsPerSecond() / round.get(3).requestsPerSecond();
    }

    private static double median(List<List<Result>> byRound, ToDoubleFunction<List<Result>> f) {
        return median(sorted(byRound, f));
    }

    private static double[] sorted(List<List<Result>> byRound, ToDoubleFunction<List<Result>> f) {
        return byRound.stream().mapToDouble(f).sorted().toArray();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The gateway under test, in a JVM of its own started with the bundle image's JVM options, as
     * it runs in a bottle (and as mitmproxy runs in its own process): the load generator's threads,
     * heap and compilations are not the gateway's.
     */
    private record GatewayProcess(Process process, InetSocketAddress address) implements AutoCloseable {
        /** Where the bundle image's JVM options are: the bench runs from the project's root. */
        private static final Path BUNDLE_DOCKERFILE = Path.of("bundle/src/main/docker/bundle/Dockerfile");

        static GatewayProcess start(Path dir, int tunnelPort, int interceptPort) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(System.getProperty("bench.gateway.jvm") != null
                    ? List.of(System.getProperty("bench.gateway.jvm").split(" ")) : bundleJvmOptions());
            System.err.println("gateway JVM options: " + String.join(" ", command.subList(1, command.size())));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayBench.class.getName(),
                    "--gateway", dir.toString(), Integer.toString(tunnelPort), Integer.toString(interceptPort)));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line = out.readLine();
            while (line != null && !line.startsWith("listening ")) {
                System.err.println(line); // what the JVM itself says first (a recording started, say)
                line = out.readLine();
            }
            if (line == null || !line.startsWith("listening ")) {
                p.destroyForcibly();
                throw new IllegalStateException("the gateway process did not start: " + line);
            }
            return new GatewayProcess(p, new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(10))));
        }

        /** The {@code -XX} options of the bundle image's entry point, less its class-data archive. */
        static List<String> bundleJvmOptions() throws IOException {
            String entrypoint = String.join(" ", Files.readAllLines(BUNDLE_DOCKERFILE)).replace("\\ ", " ");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("ENTRYPOINT \\[([^]]*)]").matcher(entrypoint);
            if (!m.find()) {
                throw new IOException(BUNDLE_DOCKERFILE + " has no ENTRYPOINT array");
            }
            List<String> options = new ArrayList<>();
            for (String word : m.group(1).split(",")) {
                String option = word.strip().replace("\"", "");
                if (option.startsWith("-XX:") && !option.startsWith("-XX:SharedArchiveFile")) {
                    options.add(option);
                }
            }
            return options;
        }

        /** The child's side: serves until its standard input closes. */
        static void serve(Path dir, int tunnelPort, int interceptPort) throws Exception {
            GatewayPolicy policy = new GatewayPolicy(
                    List.of(new PolicyFile.Rule(new HostPattern(HOST), List.of(tunnelPort), List.of(), List.of(),
                            false)),
                    List.of(new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(HOST), List.of(interceptPort),
                            List.of(), List.of(), true), "x-api-key", Secret.of("bench-real-value"),
                            Optional.of("bottle-placeholder"), false)),
                    DlpAction.BLOCK, List.of(), Optional.empty(), Optional.empty());
            try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
                 GatewayServer gateway = new GatewayServer(GatewayConfig.defaults("bench").listening("127.0.0.1", 0),
                         new PolicyHolder(CompiledPolicy.of(policy)), LeafCertificates.load(dir.resolve("bottle-ca")),
                         UpstreamTrust.clientContext(Optional.of(dir.resolve("upstream-ca/ca.crt"))),
                         HostResolver.SYSTEM, audit)) {
                System.out.println("listening " + gateway.start().getPort());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // serve until the bench closes the pipe
                }
            }
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static X509Certificate readPem(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    /** One keep-alive HTTPS connection, through a proxy's CONNECT or direct. */
    private static final class Client implements AutoCloseable {
        private final SSLSocket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String hostHeader;
        private final byte[] buffer = new byte[64 * 1024];

        Client(Route route) throws IOException {
            Socket raw;
            if (route.proxy().isPresent()) {
                raw = new Socket(route.proxy().get().getAddress(), route.proxy().get().getPort());
                raw.setTcpNoDelay(true);
                raw.getOutputStream().write(("CONNECT " + HOST + ":" + route.port() + " HTTP/1.1\r\nHost: " + HOST
                        + ":" + route.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // Unbuffered: not a byte of the TLS stream after the head may be consumed here.
                String head = readHead(raw.getInputStream());
                if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
                    throw new IOException("CONNECT refused: " + head.lines().findFirst().orElse(""));
                }
            } else {
                raw = new Socket("127.0.0.1", route.port());
                raw.setTcpNoDelay(true);
            }
            socket = (SSLSocket) route.trust().getSocketFactory().createSocket(raw, HOST, route.port(), true);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            hostHeader = HOST + ":" + route.port();
        }

        /** GETs a path and returns the body length. */
        long get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nx-api-key: bottle-placeholder\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected answer: " + head.lines().findFirst().orElse(""));
            }
            long length = -1;
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).strip());
                }
            }
            if (length < 0) {
                throw new IOException("no content-length in: " + head);
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
}
