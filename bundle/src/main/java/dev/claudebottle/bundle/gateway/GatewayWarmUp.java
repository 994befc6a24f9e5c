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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
    public static final String HOST = "warm-up.invalid";
    private static final String HEADER = "x-api-key";
    private static final int LARGE_BYTES = 256 * 1024;
    /** Three clients intercepted, one tunnelled: most of a bottle's work is on its routes. */
    private static final int INTERCEPTING_CLIENTS = 3;
    private static final int REQUESTS_PER_CONNECTION = 100;
    private static final byte[] JSON = json();
    /** The warm-up's own record, in a folder removed when it ends: 8 MiB at most (a file and one rotated). */
    private static final AuditLog.Limits RECORD_LIMITS = new AuditLog.Limits(4 << 20, 1, 2000, 200);

    /**
     * A bottle's warm-up: 12,000 requests intercepted and 4,000 tunnelled, so that each method on a
     * request's path is called well past HotSpot's threshold for its last tier (5,000 calls). Fewer
     * left the gateway's first requests of a benchmark at twice the CPU of its later ones.
     */
    public static final int BOTTLE_REQUESTS = 16_000;

    /**
     * How long a bottle's guest must have done nothing through the gateway before it warms up: past any launch
     * (whose probes are CPU bound on two cores, and would pay for the compilations a warm-up starts,
     * which run at the JIT's own priority), and past the life of a bottle run for one short command.
     */
    public static final Duration BOTTLE_QUIET = Duration.ofSeconds(30);
    /** How many times, at most, a warm-up runs: the first time and after each time it gave way. */
    static final int TRIES = 5;

    /**
     * What a warm-up did: the requests it sent, how long they took, and whether it stopped early
     * to give way to the guest's traffic.
     */
    public record Report(long requests, Duration took, boolean gaveWay) {
    }

    private GatewayWarmUp() {
    }

    /**
     * Runs a warm-up on a thread of its own, once the guest has done nothing for {@code quiet} (as
     * {@code guestActivity} tells): in Linux's {@code SCHED_IDLE} class, which every thread it starts
     * inherits, so that it takes only CPU time the bundle's other threads do not want. It gives way,
     * between two requests, as soon as the guest does anything, and runs again after the next quiet
     * stretch, {@value #TRIES} runs at most. Without that scheduling class it does not run at
     * all. Says what it did, or why it did not, to {@code log}.
     */
    public static Thread inBackground(LeafCertificates leaves, Path caCert, List<DlpPattern> patterns, int requests,
                                      Duration quiet, LongSupplier guestActivity, Consumer<String> log) {
        Thread thread = new Thread(() -> {
            try {
                long seen = guestActivity.getAsLong();
                boolean idle = false;
                for (int tries = 0; tries < TRIES; ) {
                    Thread.sleep(Math.max(10, quiet.toMillis()));
                    long now = guestActivity.getAsLong();
                    if (now != seen) {
                        seen = now;
                        continue;
                    }
                    if (!idle) {
                        Optional<String> notIdle = enterIdle();
                        if (notIdle.isPresent()) {
                            log.accept("no warm-up: " + notIdle.get());
                            return;
                        }
                        idle = true;
                    }
                    long before = seen;
                    Report report = run(leaves, caCert, patterns, requests, () -> guestActivity.getAsLong() != before);
                    if (!report.gaveWay()) {
                        log.accept("warmed up: " + report.requests() + " requests through a loopback gateway in "
                                + report.took().toMillis() + " ms");
                        return;
                    }
                    tries++;
                    seen = guestActivity.getAsLong();
                }
                log.accept("no warm-up: it gave way to the guest's traffic " + TRIES + " times");
            } catch (InterruptedException e) {
                log.accept("warm-up interrupted");
            } catch (Exception e) {
                log.accept("warm-up stopped: " + (e.getMessage() != null ? e.getMessage()
                        : e.getClass().getSimpleName()));
            }
        }, "gateway-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Moves the calling thread into {@code SCHED_IDLE}, by a thread it starts before it is in the
     * class (so that neither that thread nor the JDK's threads it starts, such as the one waiting
     * for {@code chrt}, are); says why not when it could not.
     */
    private static Optional<String> enterIdle() throws IOException, InterruptedException {
        String tid = IdleScheduling.callingThread();
        CompletableFuture<Optional<String>> moved = new CompletableFuture<>();
        Thread mover = new Thread(() -> moved.complete(IdleScheduling.move(tid)), "warm-up-mover");
        mover.setDaemon(true);
        mover.start();
        try {
            Optional<String> failure = moved.get();
            return failure.isEmpty() && IdleScheduling.policy(tid) != IdleScheduling.SCHED_IDLE
                    ? Optional.of("the scheduling class did not change") : failure;
        } catch (ExecutionException e) {
            return Optional.of("cannot set the scheduling class: " + e.getCause());
        }
    }

    /**
     * Sends about {@code requests} requests through a loopback gateway whose leaves {@code leaves}
     * mints and whose scanner holds {@code patterns} beside the built-in ones, then waits for the
     * JIT to compile what they queued; stops early, between two connections, once {@code giveWay}.
     *
     * @param caCert the PEM of the CA {@code leaves} signs with: the warm-up's upstream is trusted by it
     * @throws IOException when the gateway did not serve as a bottle's would (a refusal, a missing injection)
     */
    public static Report run(LeafCertificates leaves, Path caCert, List<DlpPattern> patterns, int requests,
                             BooleanSupplier giveWay) throws Exception {
        Path dir = Files.createTempDirectory("claude-bottle-warm-up");
        Report report;
        try {
            report = serve(dir, leaves, caCert, patterns, requests, giveWay);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (!report.gaveWay()) {
            compilerSettled();
        }
        return report;
    }

    private static Report serve(Path dir, LeafCertificates leaves, Path caCert, List<DlpPattern> patterns,
                                int requests, BooleanSupplier giveWay) throws Exception {
        long started = System.nanoTime();
        String value = "warm-up-" + HexFormat.of().formatHex(randomBytes());
        try (LoopbackUpstream intercepted = LoopbackUpstream.https(HOST, leaves, LARGE_BYTES, 1);
             LoopbackUpstream tunnelled = LoopbackUpstream.https(HOST, leaves, LARGE_BYTES, 1);
             AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"), RECORD_LIMITS, Clock.systemUTC());
             GatewayServer gateway = new GatewayServer(GatewayConfig.defaults("warm-up").listening("127.0.0.1", 0)
                     .withWorkers(2), new PolicyHolder(CompiledPolicy.of(policy(intercepted.port(), tunnelled.port(),
                     value, patterns))), leaves, UpstreamTrust.clientContext(Optional.of(caCert)),
                     GatewayWarmUp::resolve, audit)) {
            InetSocketAddress address = gateway.start();
            SSLContext trust = LoopbackClient.trusting(leaves.ca());
            int each = Math.max(1, requests / (INTERCEPTING_CLIENTS + 1));
            ExecutorService clients = Executors.newFixedThreadPool(INTERCEPTING_CLIENTS + 1, r -> {
                Thread t = new Thread(r, "warm-up-client");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Long>> sentIntercepted = new ArrayList<>();
                for (int i = 0; i < INTERCEPTING_CLIENTS; i++) {
                    sentIntercepted.add(clients.submit(() -> send(address, trust, intercepted.port(), each,
                            GatewayWarmUp::intercepted, giveWay)));
                }
                Future<Long> sentTunnelled = clients.submit(() -> send(address, trust, tunnelled.port(), each,
                        GatewayWarmUp::tunnelled, giveWay));
                long injected = 0;
                for (Future<Long> f : sentIntercepted) {
                    injected += done(f);
                }
                long total = injected + done(sentTunnelled);
                if (intercepted.replacedKeys() != injected || injected > 0 && !value.equals(intercepted.lastApiKey())) {
                    throw new IOException("the warm-up's route injected its value into " + intercepted.replacedKeys()
                            + " of " + injected + " requests");
                }
                return new Report(total, Duration.ofNanos(System.nanoTime() - started),
                        total < (long) each * (INTERCEPTING_CLIENTS + 1));
            } finally {
                clients.shutdownNow();
            }
        }
    }

    private static long done(Future<Long> sent) throws IOException, InterruptedException {
        try {
            return sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
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

    /**
     * Sends {@code requests} requests to {@code port} through the gateway, a new connection every
     * hundred; before each request, stops if it is to give way.
     */
    private static long send(InetSocketAddress gateway, SSLContext trust, int port, int requests, Request request,
                             BooleanSupplier giveWay) throws IOException {
        int done = 0;
        while (done < requests && !giveWay.getAsBoolean()) {
            try (LoopbackClient c = new LoopbackClient(Optional.of(gateway), trust, HOST, port)) {
                for (int i = 0; i < REQUESTS_PER_CONNECTION && done < requests; i++, done++) {
                    if (i > 0 && giveWay.getAsBoolean()) {
                        return done;
                    }
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
