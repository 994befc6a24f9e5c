package dev.claudebottle.bundle;

import dev.claudebottle.bundle.gateway.AuditLog;
import dev.claudebottle.bundle.gateway.CompiledPolicy;
import dev.claudebottle.bundle.gateway.GatewayConfig;
import dev.claudebottle.bundle.gateway.GatewayPolicy;
import dev.claudebottle.bundle.gateway.GatewayPolicyReader;
import dev.claudebottle.bundle.gateway.GatewayServer;
import dev.claudebottle.bundle.gateway.HostResolver;
import dev.claudebottle.bundle.gateway.LeafCertificates;
import dev.claudebottle.bundle.gateway.PolicyHolder;
import dev.claudebottle.bundle.gateway.PolicyReloader;
import dev.claudebottle.bundle.gateway.SecretScanner;
import dev.claudebottle.bundle.gateway.UpstreamTrust;
import dev.claudebottle.bundle.git.GateConfigReader;
import dev.claudebottle.bundle.git.GateRepo;
import dev.claudebottle.bundle.git.GitGate;
import dev.claudebottle.bundle.supervise.ApprovalQueue;
import dev.claudebottle.bundle.supervise.SuperviseServer;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
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
 * The sidecar bundle's JVM: starts the daemons named in {@code CLAUDE_BOTTLE_DAEMONS} with their
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
        List<AutoCloseable> running = new ArrayList<>();
        // The bottle's CA is parsed while the audit log and the policy's reader warm up
        CompletableFuture<LeafCertificates> leaves = settings.daemons().contains("gateway")
                ? loading("the bottle's CA", () -> LeafCertificates.load(settings.caDir()))
                : CompletableFuture.completedFuture(null);
        AuditLog audit = new AuditLog(settings.auditLog());
        GatewayPolicyReader reader = new GatewayPolicyReader(env);
        GatewayPolicy policy = reader.read(settings.policyFile());
        for (String daemon : settings.daemons()) {
            if (daemon.equals("gateway")) {
                running.addAll(startGateway(settings, reader, policy, audit, leaves));
            } else if (daemon.equals("git-gate")) {
                running.add(startGitGate(settings, policy, audit));
            } else if (daemon.equals("supervise")) {
                running.add(startSupervise(settings, audit));
            } else {
                System.err.println("claude-bottle bundle: daemon '" + daemon + "' is not part of this bundle build");
                System.exit(2);
            }
        }
        running.add(audit);
        if (List.of(args).contains("--warm-up")) {
            WarmUp.exercise(settings);
            closeAll(running);
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
                                                    CompletableFuture<LeafCertificates> leaves) throws Exception {
        DaemonLog log = new DaemonLog("gateway", System.err);
        CompletableFuture<SslContext> upstreamTls = loading("the upstream trust store",
                () -> UpstreamTrust.clientContext(policy.upstreamCa().map(Path::of)));
        PolicyHolder holder = new PolicyHolder(CompiledPolicy.of(policy));
        GatewayServer server = new GatewayServer(
                GatewayConfig.defaults(settings.slug()).listening(settings.listen(), settings.gatewayPort()), holder,
                leaves, upstreamTls, HostResolver.SYSTEM, audit);
        var address = server.start();
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
        // The first intercepted host waits for no class loading: a throwaway leaf is minted now.
        Thread warm = new Thread(() -> {
            try {
                leaves.join().mint("warm-up.invalid");
            } catch (Exception e) {
                log.info("could not prepare leaf certificates ahead of use: " + e.getMessage());
            }
        }, "leaf-warm-up");
        warm.setDaemon(true);
        warm.start();
        return List.of(reloader, server);
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

    private static AutoCloseable startGitGate(BundleSettings settings, GatewayPolicy policy, AuditLog audit)
            throws Exception {
        DaemonLog log = new DaemonLog("git-gate", System.err);
        List<GateRepo> repos = new GateConfigReader(System.getenv()).read(settings.gitConfig());
        // HTTPS upstreams are trusted as the gateway trusts its upstreams: system CAs and upstream_ca
        HttpsURLConnection.setDefaultSSLSocketFactory(
                UpstreamTrust.sslContext(policy.upstreamCa().map(Path::of)).getSocketFactory());
        // pushed content is scanned with the same patterns as the gateway's traffic
        var dlp = new SecretScanner(policy.dlpPatterns());
        GitGate gate = new GitGate(repos, settings.gitConfig().getParent(), dlp, audit, log, settings.slug(),
                new InetSocketAddress(settings.listen(), settings.gitGatePort()));
        var address = gate.start();
        log.info("listening on " + address + " for bottle " + settings.slug() + " (" + repos.size() + " repo(s))");
        return gate;
    }

    private static AutoCloseable startSupervise(BundleSettings settings, AuditLog audit) throws Exception {
        DaemonLog log = new DaemonLog("supervise", System.err);
        ApprovalQueue queue = new ApprovalQueue(settings.superviseQueue(), settings.slug(), Clock.systemUTC());
        SuperviseServer server = new SuperviseServer(queue, settings.superviseTimeout(), audit, log, settings.slug(),
                new InetSocketAddress(settings.listen(), settings.supervisePort()));
        var address = server.start();
        log.info("listening on " + address + SuperviseServer.ENDPOINT + " for bottle " + settings.slug()
                + " (requests wait " + settings.superviseTimeout().toSeconds() + "s)");
        return server;
    }

    /**
     * What the bundle reads from its env.
     *
     * @param slug        {@code CLAUDE_BOTTLE_SLUG}
     * @param daemons     {@code CLAUDE_BOTTLE_DAEMONS}, comma-separated
     * @param policyFile  {@code CLAUDE_BOTTLE_GATEWAY_POLICY}
     * @param caDir       {@code CLAUDE_BOTTLE_CA_DIR}
     * @param auditLog    {@code CLAUDE_BOTTLE_AUDIT_LOG}
     * @param gatewayPort {@code CLAUDE_BOTTLE_GATEWAY_PORT}, default 8888
     * @param gitConfig   {@code CLAUDE_BOTTLE_GIT_CONFIG}, the git gate's {@code repos.json}
     * @param gitGatePort {@code CLAUDE_BOTTLE_GIT_GATE_PORT}, default 9418
     * @param superviseQueue   {@code CLAUDE_BOTTLE_SUPERVISE_QUEUE}, the approval queue folder
     * @param superviseTimeout {@code CLAUDE_BOTTLE_SUPERVISE_TIMEOUT} in seconds ({@code 600s}), default 10 minutes
     * @param supervisePort    {@code CLAUDE_BOTTLE_SUPERVISE_PORT}, default 9100
     * @param listen           the address the daemons listen on (see {@link ListenAddress})
     */
    record BundleSettings(String slug, List<String> daemons, Path policyFile, Path caDir, Path auditLog,
                          int gatewayPort, Path gitConfig, int gitGatePort, Path superviseQueue,
                          Duration superviseTimeout, int supervisePort, String listen) {
        static BundleSettings from(Map<String, String> env) {
            String slug = Optional.ofNullable(env.get("CLAUDE_BOTTLE_SLUG")).filter(s -> !s.isBlank())
                    .orElseThrow(() -> new IllegalArgumentException("CLAUDE_BOTTLE_SLUG is not set"));
            List<String> daemons = List.of(Optional.ofNullable(env.get("CLAUDE_BOTTLE_DAEMONS")).orElse("")
                    .split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (daemons.isEmpty()) {
                throw new IllegalArgumentException("CLAUDE_BOTTLE_DAEMONS names no daemon");
            }
            return new BundleSettings(slug, daemons,
                    Path.of(env.getOrDefault("CLAUDE_BOTTLE_GATEWAY_POLICY", "/etc/claude-bottle/gateway/policy.json")),
                    Path.of(env.getOrDefault("CLAUDE_BOTTLE_CA_DIR", "/etc/claude-bottle/ca")),
                    Path.of(env.getOrDefault("CLAUDE_BOTTLE_AUDIT_LOG", "/var/log/claude-bottle/audit.jsonl")),
                    port(env, "CLAUDE_BOTTLE_GATEWAY_PORT", 8888),
                    Path.of(env.getOrDefault("CLAUDE_BOTTLE_GIT_CONFIG", "/var/lib/claude-bottle/git/repos.json")),
                    port(env, "CLAUDE_BOTTLE_GIT_GATE_PORT", 9418),
                    Path.of(env.getOrDefault("CLAUDE_BOTTLE_SUPERVISE_QUEUE", "/var/lib/claude-bottle/supervise")),
                    seconds(env, "CLAUDE_BOTTLE_SUPERVISE_TIMEOUT", Duration.ofMinutes(10)),
                    port(env, "CLAUDE_BOTTLE_SUPERVISE_PORT", 9100), listen(env));
        }

        private static String listen(Map<String, String> env) {
            try {
                return ListenAddress.of(Optional.ofNullable(env.get("CLAUDE_BOTTLE_LISTEN_SUBNET")));
            } catch (java.net.SocketException e) {
                throw new IllegalArgumentException("cannot list the bundle's network interfaces: " + e.getMessage());
            }
        }

        private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                Duration d = Duration.ofSeconds(Long.parseLong(value.strip().replaceFirst("s$", "")));
                if (d.isNegative() || d.isZero()) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a number of seconds like 600s");
            }
        }

        private static int port(Map<String, String> env, String name, int fallback) {
            try {
                return Integer.parseInt(env.getOrDefault(name, Integer.toString(fallback)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a port number");
            }
        }
    }
}
