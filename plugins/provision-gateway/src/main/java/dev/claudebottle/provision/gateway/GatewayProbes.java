package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.ProbeCommand;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.HostPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the gateway promises, checked from inside the guest through the proxy the launch named in
 * the guest's env: a host the manifest does not allow is refused; the bottle's CA, as the launch
 * installed it, is trusted by curl, node and git, and by each runtime the guest ships
 * ({@link RuntimeProbes}); no real route value is in the guest. Every command runs from a clean env
 * ({@link ProbeCommand}), as root, or as {@code nobody} for the runtimes: no process, rc file or
 * client config of the agent's (a {@code ~/.curlrc}, a {@code ~/.gitconfig}) takes part.
 */
final class GatewayProbes {
    /** A name that never resolves anywhere (RFC 6761), so the probe cannot reach a real host. */
    static final String UNKNOWN_HOST = BundleLayout.PROBE_HOST;
    /**
     * Opens a tunnel through the proxy and verifies the host's certificate with Node's own trust
     * (its CAs plus NODE_EXTRA_CA_CERTS); prints "verified" or what went wrong.
     */
    private static final String NODE_TLS = """
            const net = require('net'), tls = require('tls');
            const [host, port] = process.argv[1].split(':'), proxy = new URL(process.env.HTTPS_PROXY || process.env.https_proxy);
            const done = m => { console.log(m); process.exit(0); };
            setTimeout(() => done('timed out'), 10000).unref();
            const s = net.connect(+proxy.port, proxy.hostname, () => s.write(`CONNECT ${host}:${port} HTTP/1.1\\r\\nHost: ${host}:${port}\\r\\n\\r\\n`));
            s.on('error', e => done('proxy: ' + e.message));
            s.once('data', d => {
              if (!/^HTTP\\/1\\.[01] 200/.test(d.toString())) return done('CONNECT answered ' + d.toString().split('\\r\\n')[0]);
              const t = tls.connect({socket: s, servername: host}, () => { done(t.authorized ? 'verified' : 'not verified'); });
              t.on('error', e => done(e.code || e.message));
            });
            """;

    /** Sends one CONNECT with a header to the proxy the guest's env names and prints the whole answer. */
    private static final String RAW_CONNECT = "p=${HTTPS_PROXY:-$https_proxy}; p=${p#http://}; p=${p%/}; "
            + "exec 3<>\"/dev/tcp/${p%:*}/${p##*:}\" && printf 'CONNECT %s:443 HTTP/1.1\\r\\nHost: %s:443\\r\\n%s\\r\\n"
            + "\\r\\n' \"$1\" \"$1\" \"$2\" >&3 && timeout 5 cat <&3";
    /** AWS's documented example access key id: its shape is what the gateway's DLP refuses in a URL. */
    static final String DLP_BAIT = "AKIAIOSFODNN7EXAMPLE";
    /** The launch's proxy variables, which a probe's clients find the gateway by. */
    private static final List<String> PROXY = List.of("HTTPS_PROXY", "https_proxy");
    /** The launch's proxy and trust variables, which a probe's TLS clients use as the agent's do. */
    private static final List<String> TRUST = List.of("HTTPS_PROXY", "https_proxy", "SSL_CERT_FILE",
            "NODE_EXTRA_CA_CERTS", "GIT_SSL_NO_VERIFY", "GIT_SSL_CAINFO");
    private static final Duration CLIENT_LIMIT = Duration.ofSeconds(30);
    private final LaunchSpec spec;

    GatewayProbes(LaunchSpec spec) {
        this.spec = spec;
    }

    List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(Probe.step("gateway.refuses-unknown", "a host the manifest does not allow (" + UNKNOWN_HOST
                + ") gets the gateway's 403", this::refusesUnknown));
        interceptedHost().ifPresent(authority -> steps.add(Probe.step("gateway.ca-trusted", "TLS to " + authority
                + " through the gateway verifies with curl, node and git, verification on (requests the gateway "
                + "refuses itself, a TRACE and a URL with an access key's shape: nothing goes upstream)",
                ctx -> caTrusted(ctx, authority))));
        boolean dlpBlocks = spec.bottle().egress().dlp().action() == DlpAction.BLOCK;
        interceptedHost().ifPresent(authority -> steps.add(Probe.step("gateway.runtimes-trust", "TLS to "
                + authority + " through the gateway verifies with each of python3, java, go and cargo the guest ships "
                + "(owned by root, in " + RuntimeProbes.PLACES + "), run as " + RuntimeProbes.USER
                + ", verification on (requests the gateway refuses itself: nothing goes upstream)",
                RuntimeProbes.DEADLINE, ctx -> RuntimeProbes.check(ctx.guest(), authority, dlpBlocks))));
        if (spec.routes().stream().anyMatch(r -> r.route().placeholder().isPresent())) {
            steps.add(Probe.step("gateway.tripwire", "each route's placeholder sent toward a host that is not its "
                    + "route is refused by the tripwire", this::tripwire));
        }
        // a warm bottle's values are withheld until it is claimed: there is nothing of them to look for
        if (spec.routes().stream().anyMatch(r -> !r.value().isEmpty())) {
            steps.add(Probe.step("gateway.no-real-values", "no real route value is in the env or command line of "
                    + "any guest process (each read as root, or a miss) or in the agent's home, /tmp, /etc or /root "
                    + "(the first " + GuestValueScan.FILE_BYTES / (1024 * 1024) + " MiB)", this::noRealValues));
        }
        return steps;
    }

    /**
     * An exact host and port the gateway intercepts (a route's, or a rule's with methods or paths),
     * as {@code host:port}, if there is one.
     */
    private Optional<String> interceptedHost() {
        return Stream.concat(
                        spec.routes().stream().map(r -> authority(r.route().host(), r.route().ports())),
                        spec.bottle().egress().allow().stream().filter(AllowRule::intercepts)
                                .map(a -> authority(a.host(), a.ports())))
                .flatMap(Optional::stream).findFirst();
    }

    private static Optional<String> authority(HostPattern host, List<Integer> ports) {
        // TLS is spoken on 443 where the rule covers it: a rule for 80 and 443 is HTTPS on the latter
        return host.wildcard() ? Optional.empty() : Optional.of(host.pattern() + ":" + (ports.isEmpty()
                || ports.contains(443) ? 443 : ports.get(0)));
    }

    private Probe.Result refusesUnknown(StepContext ctx) throws Exception {
        ExecResult r = new ProbeCommand(List.of("curl", "-q", "-sS", "-o", "/dev/null", "--max-time", "10", "-w",
                "%{http_connect}", "https://" + UNKNOWN_HOST + "/"), PROXY, CLIENT_LIMIT).run(ctx.guest());
        if (!ProbeCommand.finished(r)) {
            return Probe.Result.missed("curl to " + UNKNOWN_HOST + " did not finish: " + ProbeCommand.unfinished(r));
        }
        String connect = r.stdout().strip();
        return connect.equals("403") ? Probe.Result.held("CONNECT " + UNKNOWN_HOST + " refused with 403")
                : Probe.Result.missed("CONNECT " + UNKNOWN_HOST + " answered " + (connect.isEmpty() ? "nothing"
                : connect) + " (curl exit " + r.exitCode() + ": " + r.stderr().strip() + ")");
    }

    /** Each distinct placeholder, in its route's header, on a CONNECT to the probe host: the tripwire must answer. */
    private Probe.Result tripwire(StepContext ctx) throws Exception {
        java.util.Set<String> sent = new java.util.LinkedHashSet<>();
        for (CredentialRoute route : spec.routes()) {
            var placeholder = route.route().placeholder();
            if (placeholder.isEmpty() || !sent.add(route.route().header() + ":" + placeholder.get().value())) {
                continue;
            }
            // curl does not show a refused CONNECT's body, which names the rule: the proxy is spoken to directly
            ExecResult r = new ProbeCommand(List.of("bash", "-c", RAW_CONNECT, "probe", UNKNOWN_HOST,
                    route.route().header() + ": " + placeholder.get().value()), PROXY, CLIENT_LIMIT).run(ctx.guest());
            String answer = r.stdout().lines().findFirst().orElse("") + " " + r.stdout().lines()
                    .filter(l -> l.contains("(rule: ")).findFirst().orElse("");
            if (!answer.startsWith("HTTP/1.1 403") || !answer.contains("(rule: tripwire)")) {
                return Probe.Result.missed("the placeholder of " + route.route().label() + " toward " + UNKNOWN_HOST
                        + " was answered: " + answer.strip());
            }
        }
        return Probe.Result.held(sent.size() + " placeholder(s) toward " + UNKNOWN_HOST + " refused by the tripwire");
    }

    private Probe.Result caTrusted(StepContext ctx, String authority) throws Exception {
        ExecResult curl = new ProbeCommand(List.of("curl", "-q", "-sS", "-o", "/dev/null", "--max-time", "10", "-X",
                "TRACE", "-w", "%{http_code}", "https://" + authority + "/"), TRUST, CLIENT_LIMIT).run(ctx.guest());
        if (!curl.ok() || !curl.stdout().strip().equals("405")) {
            return Probe.Result.missed("curl to " + authority + ": exit " + curl.exitCode() + ", "
                    + curl.stderr().strip() + " (status " + curl.stdout().strip() + ")");
        }
        ExecResult node = new ProbeCommand(List.of("node", "-e", NODE_TLS, authority), TRUST, CLIENT_LIMIT)
                .run(ctx.guest());
        if (!node.stdout().strip().equals("verified")) {
            return Probe.Result.missed("node to " + authority + ": " + (node.stdout() + node.stderr()).strip());
        }
        if (spec.bottle().egress().dlp().action() == DlpAction.BLOCK) {
            // a URL holding an access key's shape is refused by the gateway's DLP, after TLS, before anything goes
            // upstream: git's answer says whether its TLS verified
            ExecResult git = new ProbeCommand(List.of("sh", "-c", "GIT_TERMINAL_PROMPT=0 git ls-remote "
                    + "\"https://$1/claude-bottle-probe/" + DLP_BAIT + "\" 2>&1; true", "probe", authority), TRUST,
                    CLIENT_LIMIT).run(ctx.guest());
            if (!git.stdout().contains("returned error: 403")) {
                return Probe.Result.missed("git to " + authority + ": " + git.stdout().strip());
            }
            return Probe.Result.held("curl, node and git verified the gateway's certificate for " + authority);
        }
        // with DLP only warning, git's probe would go upstream: it is checked to use the store curl verified
        ExecResult git = new ProbeCommand(List.of("sh", "-c", "echo \"$GIT_SSL_NO_VERIFY|"
                + "$(git config --get http.sslVerify)|$GIT_SSL_CAINFO$(git config --get http.sslCAInfo)\""), TRUST,
                CLIENT_LIMIT).run(ctx.guest());
        String[] seen = git.stdout().strip().split("\\|", -1);
        if (!ProbeCommand.finished(git) || seen.length != 3) {
            return Probe.Result.missed("git's TLS settings could not be read: " + (ProbeCommand.finished(git)
                    ? "'" + git.stdout().strip() + "'" : ProbeCommand.unfinished(git)));
        }
        if (!seen[0].isEmpty() || seen[1].equalsIgnoreCase("false") || !seen[2].isEmpty()) {
            return Probe.Result.missed("git does not verify with the system store: GIT_SSL_NO_VERIFY=" + seen[0]
                    + ", http.sslVerify=" + seen[1] + ", CA file " + seen[2]);
        }
        return Probe.Result.held("curl and node verified the gateway's certificate for " + authority
                + "; git verifies with the same store");
    }

    /** The guest's processes and files are read out and searched here: a real value never goes into the guest. */
    private Probe.Result noRealValues(StepContext ctx) throws Exception {
        return GuestValueScan.of(spec.guestHome()).run(ctx.guest(), spec.routes());
    }
}
