package dev.claudebottle.kernel.builtin;

import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostCas;
import dev.claudebottle.spi.Undo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The egress gateway every bottle has: the daemon and its port, the policy file, route values in
 * the bundle env, proxy settings and placeholders in the guest env.
 */
public final class GatewayProvisioner {
    /** The gateway daemon's name and guest port name. */
    public static final String DAEMON = "gateway";
    /** The gateway's bundle-internal port. */
    public static final int PORT = 8888;
    /** Where the policy folder is mounted in the bundle. */
    public static final String POLICY_DIR = "/etc/claude-bottle/gateway";
    /** Where the audit folder is mounted in the bundle. */
    public static final String AUDIT_DIR = "/var/log/claude-bottle";
    /** The file, beside the policy, that holds every upstream CA certificate the bottle trusts. */
    static final String UPSTREAM_CA_FILE = "upstream-ca.pem";
    private final GatewayPolicyWriter writer = new GatewayPolicyWriter();

    /** The gateway's contribution, given the routes already resolved. */
    public Contribution contribute(LaunchSpec spec, List<ResolvedRoute> routes) {
        Path policyDir = spec.stateDir().resolve("gateway");
        Path auditDir = spec.stateDir().resolve("audit");
        var egress = spec.bottle().egress();
        Map<String, Object> policy = writer.policy(egress, routes, POLICY_DIR + "/" + UPSTREAM_CA_FILE);
        Contribution.Builder b = Contribution.builder()
                .daemon(new BundleDaemon(DAEMON, PORT))
                .port(new GuestPort(DAEMON, PORT))
                .bundleMount(new BundleMount(policyDir, POLICY_DIR, true))
                .bundleMount(new BundleMount(auditDir, AUDIT_DIR, false))
                .bundleEnv(BundleEnv.plain("CLAUDE_BOTTLE_GATEWAY_POLICY", POLICY_DIR + "/policy.json"))
                .bundleEnv(BundleEnv.plain("CLAUDE_BOTTLE_GATEWAY_PORT", Integer.toString(PORT)))
                .bundleEnv(BundleEnv.plain("CLAUDE_BOTTLE_AUDIT_LOG", AUDIT_DIR + "/audit.jsonl"));
        for (ResolvedRoute r : routes) {
            b.bundleEnv(BundleEnv.secret(r.bundleEnv(), r.value()));
        }
        String proxy = "http://{endpoint:" + DAEMON + "}";
        for (String name : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
            b.guestEnv(name, proxy);
        }
        b.guestEnv("NO_PROXY", "localhost,127.0.0.1,{host:" + DAEMON + "}");
        b.guestEnv("no_proxy", "localhost,127.0.0.1,{host:" + DAEMON + "}");
        Set<String> placeholders = new LinkedHashSet<>();
        for (ResolvedRoute r : routes) {
            r.route().placeholder().filter(p -> placeholders.add(p.env()))
                    .ifPresent(p -> b.guestEnv(p.env(), p.value()));
        }
        int allowed = egress.allow().size();
        b.step(Step.of("gateway.policy", Phase.PREPARE,
                "write the gateway policy (" + allowed + " allow rule" + (allowed == 1 ? "" : "s") + ", "
                        + routes.size() + " route" + (routes.size() == 1 ? "" : "s") + ") to " + policyDir
                        + upstreamCaSummary(egress.upstreamCa()),
                ctx -> {
                    writer.write(policy, policyDir.resolve("policy.json"));
                    if (!egress.upstreamCa().isEmpty()) {
                        Files.write(policyDir.resolve(UPSTREAM_CA_FILE), HostCas.bundle(egress.upstreamCa()));
                    }
                    Files.createDirectories(auditDir);
                    return Undo.NONE;
                }));
        return b.build();
    }

    private static String upstreamCaSummary(List<Path> cas) {
        return cas.isEmpty() ? "" : ", trusting the upstream CA certificates of " + cas.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
