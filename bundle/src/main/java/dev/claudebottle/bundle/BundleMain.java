package dev.claudebottle.bundle;

import dev.claudebottle.bundle.gateway.CompiledPolicy;
import dev.claudebottle.bundle.gateway.GatewayConfig;
import dev.claudebottle.bundle.gateway.GatewayPolicy;
import dev.claudebottle.bundle.gateway.GatewayPolicyReader;
import dev.claudebottle.bundle.gateway.GatewayServer;
import dev.claudebottle.bundle.gateway.GatewayWarmUp;
import dev.claudebottle.bundle.gateway.SignInSource;
import dev.claudebottle.bundle.spend.Metering;
import dev.claudebottle.bundle.gateway.HostResolver;
import dev.claudebottle.bundle.gateway.LeafCertificates;
import dev.claudebottle.bundle.gateway.PolicyHolder;
import dev.claudebottle.bundle.gateway.PolicyReloader;
import dev.claudebottle.bundle.git.GateConfigReader;
import dev.claudebottle.bundle.git.GateRepo;
import dev.claudebottle.bundle.git.GitGate;
import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.bundle.log.KeptOutput;
import dev.claudebottle.bundle.log.RecordExport;
import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.supervise.SuperviseServer;
import dev.claudebottle.bundle.trust.SecretScanner;
import dev.claudebottle.bundle.trust.TrustFileReader;
import dev.claudebottle.bundle.trust.UpstreamTrust;
import dev.claudebottle.contract.TrustFile;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.UsageLine;
import dev.claudebottle.contract.BundleVariables;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.HttpsURLConnection;

/**
 * The sidecar bundle's JVM: starts the daemons named in {@link BundleVariables#DAEMONS} with their
 * configuration from the env the backend gave the bundle, and runs until it is stopped.
 */
public final class BundleMain {
    private BundleMain() {
    }

    /**
     * Runs the bundle; exits 2 on a configuration error. With {@code --warm-up} it sends one
     * request through each daemon and exits, as the image build's class-data training run.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        BundleSettings settings;
        try {
            settings = BundleSettings.from(env);
        } catch (IllegalArgumentException e) {
            System.err.println("claude-bottle bundle: " + e.getMessage());
            System.exit(2);
            return;
        }
        // what the bundle says is kept beside its record, for bottle logs once the bundle is gone
        try {
            Files.createDirectories(settings.auditLog().getParent());
            System.setErr(new java.io.PrintStream(new KeptOutput(System.err, settings.auditLog().resolveSibling(
                    KeptOutput.FILE), 1L << 20), true, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            System.err.println("claude-bottle bundle: its log is not kept beside the record: " + e.getMessage());
        }
        boolean training = List.of(args).contains("--warm-up");
        // secret values are in the bundle's own file system, not its container env
        BoundEnv bound = new BoundEnv(env, Path.of(BundleLayout.BOUND_VALUES));
        List<AutoCloseable> running = new ArrayList<>();
        // The bottle's CA is parsed while the audit log and the policy's reader warm up
        CompletableFuture<LeafCertificates> leaves = settings.daemons().contains(BundleLayout.GATEWAY)
                ? loading("the bottle's CA", () -> LeafCertificates.load(settings.caDir()))
                : CompletableFuture.completedFuture(null);
        AuditLog audit = new AuditLog(settings.auditLog());
        // what every daemon that sends traffic out scans for and trusts, whichever daemons run
        TrustFile trust = TrustFileReader.read(settings.trustFile());
        // one queue for every daemon that asks a person, when the host shares one
        Optional<ApprovalQueue> queue = Files.isDirectory(settings.approvalQueue())
                ? Optional.of(new ApprovalQueue(settings.approvalQueue(), settings.slug(), Clock.systemUTC()))
                : Optional.empty();
        for (String daemon : settings.daemons()) {
            if (daemon.equals(BundleLayout.GATEWAY)) {
                // a sign-in route's keeper refreshes through the gateway, once it is up
                SignInSource signIn = new SignInSource(Path.of(BundleLayout.SIGN_IN_DIR), audit, settings.slug());
                running.add(signIn);
                GatewayPolicyReader reader = new GatewayPolicyReader(bound, trust, Optional.of(signIn));
                running.addAll(startGateway(settings, reader, reader.read(settings.policyFile()), audit, leaves, queue,
                        signIn, !training));
            } else if (daemon.equals(BundleLayout.GIT_GATE)) {
                AutoCloseable gate = startGitGate(settings, bound.get(), trust, audit, queue);
                running.add(gate);
                if (settings.stopOnAlert()) {
                    // pushes are a way out too: the gate goes with the gateway's traffic
                    audit.onFirstAlert(alert -> closeAll(List.of(gate)));
                }
            } else if (daemon.equals(BundleLayout.SUPERVISE)) {
                running.add(startSupervise(settings, audit, queue.orElseThrow(() -> new IllegalStateException(
                        "supervise needs the approval queue at " + settings.approvalQueue()))));
            } else {
                System.err.println("claude-bottle bundle: daemon '" + daemon + "' is not part of this bundle build");
                System.exit(2);
            }
        }
        running.add(audit);
        BundleVariables.OTLP_ENDPOINT.readIfSet(env).filter(v -> !v.isBlank()).ifPresent(endpoint -> {
            // closed after the audit log, so its last lines go too
            RecordExport export = new RecordExport(endpoint, settings.slug(), new DaemonLog("record", System.err),
                    Duration.ofSeconds(1));
            audit.onLine(export);
            running.add(export);
        });
        if (training) {
            try {
                WarmUp.exercise(settings);
                if (settings.daemons().contains(BundleLayout.GATEWAY)) {
                    // a short run, so that the archive holds the classes of the gateway's own warm-up too
                    GatewayWarmUp.run(leaves.join(), settings.caDir().resolve("ca.crt"), List.of(), 400, () -> false);
                }
            } finally {
                closeAll(running);
            }
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(running);
            stopped.countDown();
        }));
        stopped.await();
    }

    private static void closeAll(List<AutoCloseable> running) {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                // shutting down: nothing left to report to
            }
        }
    }

    /**
     * Starts the gateway: it binds while the system trust store and the bottle's CA load, and
     * reports that it listens once both are loaded.
     */
    private static List<AutoCloseable> startGateway(BundleSettings settings, GatewayPolicyReader reader,
                                                    GatewayPolicy policy, AuditLog audit,
                                                    CompletableFuture<LeafCertificates> leaves,
                                                    Optional<ApprovalQueue> queue, SignInSource signIn,
                                                    boolean warmUp) throws Exception {
        DaemonLog log = new DaemonLog(BundleLayout.GATEWAY, System.err);
        CompletableFuture<SslContext> upstreamTls = loading("the upstream trust store",
                () -> UpstreamTrust.clientContext(policy.upstreamCa().map(Path::of)));
        PolicyHolder holder = new PolicyHolder(CompiledPolicy.of(policy));
        GatewayServer server = new GatewayServer(
                GatewayConfig.defaults(settings.slug()).listening(settings.listen(), settings.gatewayPort()), holder,
                leaves, upstreamTls, HostResolver.SYSTEM, audit, queue);
        server.refreshSignInsThrough(signIn);
        Metering metering = new Metering(Optional.of(Path.of(BundleLayout.BUDGET_FILE)),
                Optional.of(settings.auditLog().resolveSibling(UsageLine.SPENT_FILE)), audit, settings.slug(),
                Clock.systemUTC());
        server.meter(metering);
        var address = server.start();
        if (settings.stopOnAlert()) {
            audit.onFirstAlert(alert -> {
                server.stopTraffic();
                log.info("stopped the bottle's traffic after an alert (" + alert.rule() + ")");
            });
        }
        PolicyReloader reloader = new PolicyReloader(settings.policyFile(), reader, holder, log);
        reloader.watch();
        reloader.onSighup();
        try {
            server.awaitLoaded();
        } catch (Exception e) {
            closeAll(List.of(reloader, server));
            throw e;
        }
        log.info("listening on " + address + " for bottle " + settings.slug());
        log.info(PolicyReloader.loaded(policy, reader.generation()));
        // The first intercepted host waits for no class loading: a throwaway leaf is minted now (the
        // one the warm-up's servers present, so that it is made here, not by a thread in SCHED_IDLE).
        Thread warm = new Thread(() -> {
            try {
                leaves.join().serverContext(GatewayWarmUp.HOST);
            } catch (Exception e) {
                log.info("could not prepare leaf certificates ahead of use: " + e.getMessage());
            }
        }, "leaf-warm-up");
        warm.setDaemon(true);
        warm.start();
        if (warmUp) {
            // compiled before a later guest's requests (a warm bottle's), giving way to the guest's own
            GatewayWarmUp.inBackground(leaves.join(), settings.caDir().resolve("ca.crt"), policy.dlpPatterns(),
                    GatewayWarmUp.BOTTLE_REQUESTS, GatewayWarmUp.BOTTLE_QUIET, server::guestActivity, log::info);
        }
        // closed after the server: the last call's total is written before the bundle goes
        return List.of(reloader, server, metering);
    }

    /** Runs {@code load} on a thread of its own: start-up goes on meanwhile. */
    private static <T> CompletableFuture<T> loading(String what, Callable<T> load) {
        CompletableFuture<T> loaded = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                loaded.complete(load.call());
            } catch (Exception | Error e) {
                loaded.completeExceptionally(e);
            }
        }, "load " + what);
        thread.setDaemon(true);
        thread.start();
        return loaded;
    }

    private static AutoCloseable startGitGate(BundleSettings settings, Map<String, String> env, TrustFile trust,
                                              AuditLog audit, Optional<ApprovalQueue> queue) throws Exception {
        DaemonLog log = new DaemonLog(BundleLayout.GIT_GATE, System.err);
        List<GateRepo> repos = new GateConfigReader(env).read(settings.gitConfig());
        // HTTPS upstreams are trusted as the gateway trusts its upstreams: system CAs and upstream_ca
        HttpsURLConnection.setDefaultSSLSocketFactory(
                UpstreamTrust.sslContext(trust.upstreamCa().map(Path::of)).getSocketFactory());
        // pushed content is scanned with the same patterns as the gateway's traffic
        var dlp = new SecretScanner(TrustFileReader.patterns(trust));
        GitGate gate = new GitGate(repos, settings.gitConfig().getParent(), dlp, audit, log, settings.slug(),
                new InetSocketAddress(settings.listen(), settings.gitGatePort()), queue, settings.superviseTimeout());
        var address = gate.start();
        log.info("listening on " + address + " for bottle " + settings.slug() + " (" + repos.size() + " repo(s))");
        return gate;
    }

    private static AutoCloseable startSupervise(BundleSettings settings, AuditLog audit, ApprovalQueue queue)
            throws Exception {
        DaemonLog log = new DaemonLog(BundleLayout.SUPERVISE, System.err);
        SuperviseServer server = new SuperviseServer(queue, settings.superviseTimeout(), audit, log, settings.slug(),
                new InetSocketAddress(settings.listen(), settings.supervisePort()));
        var address = server.start();
        log.info("listening on " + address + SuperviseServer.ENDPOINT + " for bottle " + settings.slug()
                + " (requests wait " + settings.superviseTimeout().toSeconds() + "s)");
        return server;
    }

    /**
     * What the bundle reads from its env: {@link BundleVariables}, each in the same order.
     *
     * @param listen the address the daemons listen on (see {@link ListenAddress})
     */
    record BundleSettings(String slug, List<String> daemons, Path trustFile, Path policyFile, Path caDir, Path auditLog,
                          int gatewayPort, Path gitConfig, int gitGatePort, Path approvalQueue,
                          Duration superviseTimeout, int supervisePort, String listen, boolean stopOnAlert) {
        static BundleSettings from(Map<String, String> env) {
            return new BundleSettings(BundleVariables.SLUG.read(env), BundleVariables.DAEMONS.read(env),
                    Path.of(BundleVariables.TRUST.read(env)),
                    Path.of(BundleVariables.GATEWAY_POLICY.read(env)), Path.of(BundleVariables.CA_DIR.read(env)),
                    Path.of(BundleVariables.AUDIT_LOG.read(env)), BundleVariables.GATEWAY_PORT.read(env),
                    Path.of(BundleVariables.GIT_CONFIG.read(env)), BundleVariables.GIT_GATE_PORT.read(env),
                    Path.of(BundleVariables.APPROVAL_QUEUE.read(env)), BundleVariables.SUPERVISE_TIMEOUT.read(env),
                    BundleVariables.SUPERVISE_PORT.read(env), listen(env),
                    BundleVariables.ON_ALERT.read(env) == dev.claudebottle.spi.manifest.AlertAction.STOP);
        }

        private static String listen(Map<String, String> env) {
            try {
                return ListenAddress.of(BundleVariables.LISTEN_SUBNET.readIfSet(env));
            } catch (java.net.SocketException e) {
                throw new IllegalArgumentException("cannot list the bundle's network interfaces: " + e.getMessage());
            }
        }
    }
}
