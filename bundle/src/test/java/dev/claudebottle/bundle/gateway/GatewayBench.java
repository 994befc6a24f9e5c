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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final int LARGE = 16 * 1024 * 1024;
    /** Requests of the gateway's own warm-up, as a bottle's gateway runs it; none with 0. */
    private static final int WARM_UP = Integer.getInteger("bench.warmUp", GatewayWarmUp.BOTTLE_REQUESTS);
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

    /** How a client reaches the upstream in one variant, and the process that proxies it, if one does. */
    private record Route(String name, Optional<InetSocketAddress> proxy, SSLContext trust, int port,
                         Optional<ProcessHandle> proxyProcess) {
    }

    /**
     * What one variant measured in one round of small requests, with the CPU each process spent per
     * request: the proxy's (the gateway or mitmproxy; none direct) and the bench's own, which holds
     * both the clients and the upstream.
     */
    private record Result(String name, double requestsPerSecond, double p50Millis, double p99Millis,
                          double proxyCpuMicros, double benchCpuMicros) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("--gateway")) {
            GatewayProcess.serve(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
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
        try (LoopbackUpstream tunnelled = LoopbackUpstream.https(HOST, upstreamCa, LARGE, 2);
             LoopbackUpstream intercepted = LoopbackUpstream.https(HOST, upstreamCa, LARGE, 2)) {
            try (GatewayProcess gateway = GatewayProcess.start(dir, tunnelled.port(), intercepted.port())) {
                InetSocketAddress gw = gateway.address();
                Process mitm = startMitmproxy(mitmdump, dir, upstreamPem, intercepted.port());
                try {
                    InetSocketAddress mitmAddress = new InetSocketAddress("127.0.0.1", mitmPort);
                    SSLContext mitmTrust = LoopbackClient.trusting(
                            readPem(dir.resolve("mitm/mitmproxy-ca-cert.pem")));
                    List<Route> routes = List.of(
                            new Route("direct", Optional.empty(), LoopbackClient.trusting(upstreamCa.ca()),
                                    tunnelled.port(), Optional.empty()),
                            new Route("gateway tunnel", Optional.of(gw), LoopbackClient.trusting(upstreamCa.ca()),
                                    tunnelled.port(), Optional.of(gateway.process().toHandle())),
                            new Route("gateway intercept", Optional.of(gw), LoopbackClient.trusting(bottleCa.ca()),
                                    intercepted.port(), Optional.of(gateway.process().toHandle())),
                            new Route("mitmproxy", Optional.of(mitmAddress), mitmTrust, intercepted.port(),
                                    Optional.of(mitm.toHandle())));
                    verifyInjection(routes.get(2), intercepted, "bench-real-value");
                    verifyInjection(routes.get(3), intercepted, "bench-real-value");
                    // Only the bench's own side is warmed up (its clients and upstreams, by direct requests;
                    // mitmproxy compiles nothing): the gateway gets its own warm-up and no more, as in a bottle.
                    warmUp(routes.get(0));
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
                            System.out.printf("  %s %.0f req/s p50 %.2f p99 %.2f ms cpu %.0f+%.0f us;", r.name(),
                                    r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.proxyCpuMicros(),
                                    r.benchCpuMicros());
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

    private void verifyInjection(Route route, LoopbackUpstream upstream, String expected) throws Exception {
        try (LoopbackClient c = client(route)) {
            c.get("/small");
        }
        String got = upstream.lastApiKey();
        if (!expected.equals(got)) {
            throw new IllegalStateException(route.name() + " did not inject the header");
        }
    }

    /**
     * Warms the bench's own side up: second-long slices of small requests, at least 20, until three
     * in a row stay within 10% of one another (60 at most), then a few large downloads. Its JIT takes
     * that long on two shared cores; a bench still compiling itself would slow every variant's first
     * round.
     */
    private void warmUp(Route route) throws Exception {
        List<Long> slices = new ArrayList<>();
        while (slices.size() < 60) {
            slices.add(runSmall(route, 1000).stream().mapToLong(a -> a.length).sum());
            int n = slices.size();
            if (n >= 20) {
                List<Long> last = slices.subList(n - 3, n);
                long max = last.stream().mapToLong(Long::longValue).max().orElseThrow();
                long min = last.stream().mapToLong(Long::longValue).min().orElseThrow();
                if (min >= max * 0.9) {
                    break;
                }
            }
        }
        System.out.println("bench warmed up over " + slices.size() + " s: " + slices + " requests a second");
        try (LoopbackClient c = client(route)) {
            for (int i = 0; i < 4; i++) {
                c.get("/large");
            }
        }
    }

    private Result measure(Route route) throws Exception {
        long proxyBefore = cpuNanos(route.proxyProcess());
        long benchBefore = benchCpuNanos();
        List<long[]> latencies = runSmall(route, smallMillis);
        long proxyCpu = cpuNanos(route.proxyProcess()) - proxyBefore;
        long benchCpu = benchCpuNanos() - benchBefore;
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
        return new Result(route.name(), total / (smallMillis / 1000.0), p50, p99,
                total == 0 ? 0 : proxyCpu / 1e3 / total, total == 0 ? 0 : benchCpu / 1e3 / total);
    }

    /** CPU a proxy's process has used so far (user and system), none for no proxy. */
    private static long cpuNanos(Optional<ProcessHandle> process) {
        return process.flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(0L);
    }

    private static long benchCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * MB/s of single large downloads, one connection kept per variant: the variants take turns,
     * download by download, so that each sample of one is taken beside one of every other.
     */
    private double[][] downloads(List<Route> routes) throws Exception {
        List<LoopbackClient> clients = new ArrayList<>();
        try {
            for (Route r : routes) {
                clients.add(client(r));
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
            for (LoopbackClient c : clients) {
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
                    try (LoopbackClient c = client(route)) {
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
        System.out.printf("%-18s %10s %9s %9s %9s %12s %12s   (medians: %d rounds of small requests, %d large"
                + " downloads; CPU per small request)%n", "variant", "req/s", "p50 ms", "p99 ms", "MB/s", "proxy us",
                "bench us", byRound.size(), downloads[0].length);
        double[] megabytes = new double[downloads.length];
        for (int v = 0; v < byRound.get(0).size(); v++) {
            int variant = v;
            megabytes[v] = median(Arrays.stream(downloads[v]).sorted().toArray());
            System.out.printf("%-18s %10.0f %9.2f %9.2f %9.1f %12.0f %12.0f%n", byRound.get(0).get(v).name(),
                    median(byRound, r -> r.get(variant).requestsPerSecond()),
                    median(byRound, r -> r.get(variant).p50Millis()), median(byRound, r -> r.get(variant).p99Millis()),
                    megabytes[v], median(byRound, r -> r.get(variant).proxyCpuMicros()),
                    median(byRound, r -> r.get(variant).benchCpuMicros()));
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
                    "--gateway", dir.toString(), Integer.toString(tunnelPort), Integer.toString(interceptPort),
                    Integer.toString(WARM_UP)));
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
            String listening = line;
            if (WARM_UP > 0) {
                // as in a bottle, whose gateway warms up while the launch and the agent's start go on
                long cpuBefore = p.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
                line = out.readLine();
                if (line == null || !line.startsWith("warmed up: ")) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the gateway did not warm up: " + line);
                }
                long cpu = p.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L)
                        - cpuBefore;
                System.out.println("gateway " + line + ", " + cpu + " ms of its CPU");
            }
            return new GatewayProcess(p, new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(listening.substring(10))));
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
        static void serve(Path dir, int tunnelPort, int interceptPort, int warmUp) throws Exception {
            GatewayPolicy policy = new GatewayPolicy(
                    List.of(new PolicyFile.Rule(new HostPattern(HOST), List.of(tunnelPort), List.of(), List.of(),
                            false)),
                    List.of(new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(HOST), List.of(interceptPort),
                            List.of(), List.of(), true), "x-api-key", Secret.of("bench-real-value"),
                            Optional.of(LoopbackClient.PLACEHOLDER), false)),
                    DlpAction.BLOCK, List.of(), Optional.empty(), Optional.empty());
            try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
                 GatewayServer gateway = new GatewayServer(GatewayConfig.defaults("bench").listening("127.0.0.1", 0),
                         new PolicyHolder(CompiledPolicy.of(policy)), LeafCertificates.load(dir.resolve("bottle-ca")),
                         UpstreamTrust.clientContext(Optional.of(dir.resolve("upstream-ca/ca.crt"))),
                         HostResolver.SYSTEM, audit)) {
                System.out.println("listening " + gateway.start().getPort());
                System.out.flush();
                if (warmUp > 0) {
                    GatewayWarmUp.inBackground(LeafCertificates.load(dir.resolve("bottle-ca")),
                            dir.resolve("bottle-ca/ca.crt"), List.of(), warmUp, java.time.Duration.ZERO,
                            gateway::guestActivity, line -> {
                                System.out.println(line);
                                System.out.flush();
                            });
                }
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

    private static LoopbackClient client(Route route) throws IOException {
        return new LoopbackClient(route.proxy(), route.trust(), HOST, route.port());
    }

    private static X509Certificate readPem(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

}
