package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.trust.UpstreamTrust;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.HostPattern;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Brings the gateway's hot paths to compiled code before a guest's requests need them. A gateway
 * of its own (the same classes, with loops, policy, record and route value of its own) serves a
 * fixed mix of requests from clients on loopback to an upstream on loopback: intercepted GETs
 * with a header injected, JSON POSTs scanned for secrets, large answers watched, and a tunnel,
 * over connections that are opened again now and then so that handshakes are compiled too.
 *
 * <p>Nothing leaves loopback, nothing reaches the bottle's record, and no real value is used: the
 * route's value is random, the host is {@value #HOST}, which only this gateway's resolver knows.
 */
public final class GatewayWarmUp {
    /** The name the warm-up's upstream has: reserved, never resolvable outside. */
    static final String HOST = "warm-up.invalid";
    private static final String HEADER = "x-api-key";
    private static final int LARGE_BYTES = 256 * 1024;
    /** Three clients intercepted, one tunnelled: most of a bottle's work is on its routes. */
    private static final int INTERCEPTING_CLIENTS = 3;
    private static final int REQUESTS_PER_CONNECTION = 100;
    private static final byte[] JSON = json();

    /**
     * A bottle's warm-up: 12,000 requests intercepted and 4,000 tunnelled, so that each method on a
     * request's path is called well past HotSpot's threshold for its last tier (5,000 calls). Fewer
     * left the gateway's first requests of a benchmark at twice the CPU of its later ones.
     */
    public static final int BOTTLE_REQUESTS = 16_000;

    /**
     * How long a bottle's gateway waits before its warm-up: past any launch (whose probes are CPU
     * bound on two cores, and would pay for the compilations a warm-up starts, which run at the
     * JIT's own priority), and past the life of a bottle run for one short command.
     */
    public static final Duration BOTTLE_DELAY = Duration.ofSeconds(30);

    /** What a warm-up did: the requests it sent and how long they took. */
    public record Report(long requests, Duration took) {
    }

    private GatewayWarmUp() {
    }

    /**
     * Runs a warm-up on a thread of its own that takes only CPU time nothing else wants (Linux's
     * {@code SCHED_IDLE}, which every thread it starts inherits), so that a launch going on meanwhile
     * is not slowed; says what it did, or why it did not, to {@code log}. Without that scheduling
     * class it does not run at all. The calling thread moves it into the class, and waits for that;
     * the requests start {@code after} that.
     */
    public static Thread inBackground(LeafCertificates leaves, Path caCert, List<DlpPattern> patterns, int requests,
                                      Duration after, java.util.function.Consumer<String> log) {
        java.util.concurrent.CompletableFuture<String> tid = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Optional<String>> moved = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                tid.complete(IdleScheduling.callingThread());
                Optional<String> notIdle = moved.get();
                if (notIdle.isEmpty() && IdleScheduling.policy(tid.get()) != IdleScheduling.SCHED_IDLE) {
                    notIdle = Optional.of("the scheduling class did not change");
                }
                if (notIdle.isPresent()) {
                    log.accept("no warm-up: " + notIdle.get());
                    return;
                }
                Thread.sleep(after.toMillis());
                Report report = run(leaves, caCert, patterns, requests);
                log.accept("warmed up: " + report.requests() + " requests through a loopback gateway in "
                        + report.took().toMillis() + " ms");
            } catch (InterruptedException e) {
                tid.completeExceptionally(e);
            } catch (Exception e) {
                tid.completeExceptionally(e);
                log.accept("warm-up stopped: " + e.getMessage());
            }
        }, "gateway-warm-up");
        thread.setDaemon(true);
        thread.start();
        try {
            moved.complete(IdleScheduling.move(tid.get()));
        } catch (Exception e) {
            moved.complete(Optional.of("cannot tell the warm-up's thread: " + e.getMessage()));
        }
        return thread;
    }

    /**
     * Sends about {@code requests} requests through a loopback gateway whose leaves {@code leaves}
     * mints and whose scanner holds {@code patterns} beside the built-in ones.
     *
     * @param caCert the PEM of the CA {@code leaves} signs with: the warm-up's upstream is trusted by it
     * @throws IOException when the gateway did not serve as a bottle's would (a refusal, a missing injection)
     */
    public static Report run(LeafCertificates leaves, Path caCert, List<DlpPattern> patterns, int requests)
            throws Exception {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("claude-bottle-warm-up");
        String value = "warm-up-" + HexFormat.of().formatHex(randomBytes());
        try (LoopbackUpstream intercepted = LoopbackUpstream.https(HOST, leaves, LARGE_BYTES, 1);
             LoopbackUpstream tunnelled = LoopbackUpstream.https(HOST, leaves, LARGE_BYTES, 1);
             AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
             GatewayServer gateway = new GatewayServer(GatewayConfig.defaults("warm-up").listening("127.0.0.1", 0),
                     new PolicyHolder(CompiledPolicy.of(policy(intercepted.port(), tunnelled.port(), value,
                             patterns))), leaves, UpstreamTrust.clientContext(Optional.of(caCert)),
                     GatewayWarmUp::resolve, audit)) {
            InetSocketAddress address = gateway.start();
            SSLContext trust = LoopbackClient.trusting(leaves.ca());
            int each = Math.max(1, requests / (INTERCEPTING_CLIENTS + 1));
            ExecutorService clients = Executors.newFixedThreadPool(INTERCEPTING_CLIENTS + 1, r -> {
                Thread t = new Thread(r, "gateway-warm-up-client");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Long>> sent = new ArrayList<>();
                for (int i = 0; i < INTERCEPTING_CLIENTS; i++) {
                    sent.add(clients.submit(() -> send(address, trust, intercepted.port(), each,
                            GatewayWarmUp::intercepted)));
                }
                sent.add(clients.submit(() -> send(address, trust, tunnelled.port(), each, GatewayWarmUp::tunnelled)));
                long total = 0;
                for (Future<Long> f : sent) {
                    try {
                        total += f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                }
                if (!value.equals(intercepted.lastApiKey())) {
                    throw new IOException("the warm-up's route did not inject its value");
                }
                compilerSettled();
                return new Report(total, Duration.ofNanos(System.nanoTime() - started));
            } finally {
                clients.shutdownNow();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Waits until the JIT has compiled what the requests queued: no compilation time added over a
     * second, or a minute at most.
     */
    private static void compilerSettled() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = jit.getTotalCompilationTime();
            if (now == before) {
                return;
            }
            before = now;
        }
    }

    /** One request of a client's sequence. */
    @FunctionalInterface
    private interface Request {
        void send(LoopbackClient client, int n) throws IOException;
    }

    /** Small GETs, a JSON POST in every eight requests and a large answer in every sixteen. */
    private static void intercepted(LoopbackClient c, int n) throws IOException {
        if (n % 16 == 15) {
            c.get("/large");
        } else if (n % 8 == 7) {
            c.post("/v1/messages", JSON);
        } else {
            c.get("/small");
        }
    }

    /** Small GETs with a large answer in every sixteen. */
    private static void tunnelled(LoopbackClient c, int n) throws IOException {
        c.get(n % 16 == 15 ? "/large" : "/small");
    }

    /** Sends {@code requests} requests to {@code port} through the gateway, a new connection every hundred. */
    private static long send(InetSocketAddress gateway, SSLContext trust, int port, int requests, Request request)
            throws IOException {
        int done = 0;
        while (done < requests) {
            try (LoopbackClient c = new LoopbackClient(Optional.of(gateway), trust, HOST, port)) {
                for (int i = 0; i < REQUESTS_PER_CONNECTION && done < requests; i++, done++) {
                    request.send(c, done);
                }
            }
        }
        return done;
    }

    private static GatewayPolicy policy(int interceptPort, int tunnelPort, String value, List<DlpPattern> patterns) {
        return new GatewayPolicy(
                List.of(new PolicyFile.Rule(new HostPattern(HOST), List.of(tunnelPort), List.of(), List.of(), false)),
                List.of(new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(HOST), List.of(interceptPort),
                        List.of(), List.of(), true), HEADER, Secret.of(value),
                        Optional.of(LoopbackClient.PLACEHOLDER), false)),
                DlpAction.BLOCK, patterns, Optional.empty(), Optional.empty());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** Only the warm-up's own name resolves, to loopback. */
    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (!HOST.equals(host)) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getLoopbackAddress());
    }

    /** A request body of the shape model calls have, with nothing in it a scanner would stop. */
    private static byte[] json() {
        StringBuilder text = new StringBuilder();
        while (text.length() < 2048) {
            text.append("Summarise the change in two sentences and list the files it touches. ");
        }
        return ("{\"model\":\"warm-up\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}").getBytes(StandardCharsets.US_ASCII);
    }
}
