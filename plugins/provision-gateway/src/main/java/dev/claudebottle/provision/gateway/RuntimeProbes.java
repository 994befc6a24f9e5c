package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.ProbeCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether each language runtime the guest ships trusts the bottle's CA as the launch installed it:
 * Python (its {@code ssl}, the bundles {@code requests} and pip are pointed at, and the certifi
 * bundles where installed), Java, Go and cargo each make a real TLS request through the gateway to a host it intercepts, with verification
 * on, that the gateway refuses itself after the handshake: nothing goes upstream. curl, node and
 * git are checked by the CA probe.
 *
 * <p>The agent may have had hours in the guest. A runtime counts only where it and every directory
 * above it are root's and writable by no one else, so nothing the agent wrote is run; and the
 * checks run as {@code nobody}, not root, from a clean env ({@link ProbeCommand}), so even a runtime
 * an image left writable gains nothing by it.
 */
final class RuntimeProbes {
    /** The user the checks run as: neither the agent nor root. */
    static final String USER = "nobody";
    /** Where runtimes are looked for: root's places where packages and official builds put them. */
    static final String PLACES = "/usr/local/bin, /usr/bin, /bin, Go's and cargo's own and the JVMs' under "
            + "/usr/lib/jvm and /opt";
    /**
     * Lists each runtime found as its name and resolved path: the first candidate whose link, its
     * target and every directory above both are owned by root and writable by no one else, and
     * whose own tree (Python's standard library, the JDK, Go's root; cargo is one file) is the same
     * throughout; a
     * candidate that is not is listed as skipped, with why.
     */
    private static final String FIND = """
            safe() {
              x=$1
              while :; do
                [ -e "$x" ] || return 1
                set -- $(stat -L -c '%u %a' "$x") || return 1
                [ "$1" = 0 ] && [ $((0$2 & 022)) = 0 ] || return 1
                [ "$x" = / ] && return 0
                x=$(dirname "$x")
              done
            }
            tree() {
              [ -e "$1" ] || return 0
              # every file, links followed; a link that leads nowhere is no file anything loads
              [ -z "$(find -L "$1" -xdev \\( -path "$1/site-packages" -o -path "$1/dist-packages" -o -type l \\) -prune -o \\
                \\( ! -user 0 -o -perm /022 \\) -print 2>/dev/null | head -n 1)" ]
            }
            find_one() {
              name=$1; shift
              for c in "$@"; do
                [ -f "$c" ] && [ -x "$c" ] || continue
                real=$(readlink -f "$c") || continue
                case $name in
                  python3) own="$(dirname "$(dirname "$real")")/lib/$(basename "$real")" ;;
                  cargo) own=$real ;;
                  *) own=$(dirname "$(dirname "$real")") ;;
                esac
                if safe "$(dirname "$c")" && safe "$real" && tree "$own"; then echo "$name $real"; return; fi
                echo "skipped $name $c: it, or a file of $own, is not root's alone"
              done
            }
            find_one python3 /usr/local/bin/python3 /usr/bin/python3 /bin/python3
            find_one java /usr/local/bin/java /usr/bin/java /bin/java /opt/java/openjdk/bin/java /usr/lib/jvm/*/bin/java \
              /opt/*/bin/java /opt/*/*/bin/java
            find_one go /usr/local/bin/go /usr/bin/go /bin/go /usr/local/go/bin/go /usr/lib/go/bin/go
            find_one cargo /usr/local/bin/cargo /usr/bin/cargo /bin/cargo /usr/local/cargo/bin/cargo
            """;
    /**
     * Python's standard library alone ({@code -I -S}: no site-packages, no .pth file, nothing of
     * the agent's is imported), a TRACE with each trust a Python program may use: the default
     * context (SSL_CERT_FILE and the system store), the bundles REQUESTS_CA_BUNDLE and PIP_CERT
     * name, and each certifi bundle in the site directories, each file once; "NAME verified" for
     * each that held.
     */
    private static final String PYTHON = """
            import glob, os, site, ssl, sys, urllib.request, urllib.error
            url = "https://" + sys.argv[1] + "/"
            def trace(context):
                try:
                    urllib.request.urlopen(urllib.request.Request(url, method="TRACE"), timeout=5, context=context)
                    return "answered without a refusal"
                except urllib.error.HTTPError as e:
                    return "verified" if e.code == 405 else "status %d" % e.code
                except Exception as e:
                    return "%s: %s" % (type(e).__name__, getattr(e, "reason", e))
            seen = ["ssl " + trace(None)]
            done = {os.path.realpath(os.environ.get("SSL_CERT_FILE") or ssl.get_default_verify_paths().openssl_cafile)}
            bundles = [(var, os.environ[var]) for var in ("REQUESTS_CA_BUNDLE", "PIP_CERT") if os.environ.get(var)]
            for d in site.getsitepackages():
                for name, pattern in (("certifi", "certifi/cacert.pem"), ("pip's certifi", "pip/_vendor/certifi/cacert.pem")):
                    bundles += [(name, f) for f in glob.glob(os.path.join(d, pattern))]
            for name, f in bundles:
                if os.path.realpath(f) not in done:
                    done.add(os.path.realpath(f))
                    seen.append(name + " " + trace(ssl.create_default_context(cafile=f)))
            print("; ".join(seen))
            """;
    /** Java's own client through the proxy the env names, with the JVM's default trust store. */
    private static final String JAVA = """
            import java.net.*; import java.net.http.*; import java.time.Duration;
            public class TlsProbe {
                public static void main(String[] a) {
                    try {
                        String p = System.getenv("HTTPS_PROXY") != null ? System.getenv("HTTPS_PROXY") : System.getenv("https_proxy");
                        URI proxy = URI.create(p);
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())))
                                .connectTimeout(Duration.ofSeconds(5)).build();
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("https://" + a[0] + "/"))
                                .method("TRACE", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        System.out.println(r.statusCode() == 405 ? "verified" : "status " + r.statusCode());
                    } catch (Exception e) {
                        System.out.println(e);
                    }
                }
            }
            """;
    /**
     * Writes the Java program to a directory only its user can enter, runs it with the source
     * launcher, and removes it.
     */
    private static final String RUN_JAVA = "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && printf '%s' \"$1\" > "
            + "\"$d/TlsProbe.java\" && \"$2\" -XX:-UsePerfData -XX:+DisableAttachMechanism \"$d/TlsProbe.java\" "
            + "\"$3\" 2>&1";
    /**
     * Go's own HTTP client, as {@code go get} uses it: a module download from a proxy on the
     * intercepted host whose path holds an access key's shape, which the gateway's DLP refuses
     * with 403 after TLS. Nothing is compiled, and every Go setting comes from here.
     */
    private static final String RUN_GO = "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && GOMODCACHE=\"$d/mod\" "
            + "GOCACHE=\"$d/cache\" GOPATH=\"$d/path\" GOENV=off GOWORK=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS= "
            + "GO111MODULE=on "
            + "GONOSUMDB= GONOPROXY= GOPRIVATE= GOPROXY=\"https://$2/claude-bottle-probe/" + GatewayProbes.DLP_BAIT
            + "\" \"$1\" mod download -json claude-bottle.invalid/probe@v1.0.0 2>&1";
    /**
     * cargo's own HTTP client (libcurl, with CARGO_HTTP_CAINFO), as it reads a sparse registry: a
     * search in an index on the intercepted host whose path holds an access key's shape, which the
     * gateway's DLP refuses with 403 after TLS. Every cargo setting comes from here.
     */
    private static final String RUN_CARGO = "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && CARGO_HOME=\"$d\" "
            + "CARGO_NET_RETRY=0 CARGO_HTTP_TIMEOUT=5 \"$1\" search --limit 1 --index \"sparse+https://$2/"
            + "claude-bottle-probe/" + GatewayProbes.DLP_BAIT + "/\" claude-bottle-probe 2>&1";
    /**
     * What the JVM's default trust store holds under the alias the launch gave the bottle's CA,
     * against the CA the launch installed (the first certificate of NODE_EXTRA_CA_CERTS' file):
     * both SHA-256 fingerprints, for a JVM that cannot run the program.
     */
    private static final String JAVA_STORE = """
            home=$(dirname "$(dirname "$1")")
            for s in "$home/lib/security/cacerts" "$home/jre/lib/security/cacerts"; do [ -f "$s" ] && break; done
            have=$("$home/bin/keytool" -list -v -keystore "$s" -storepass changeit -alias claude-bottle-1 2>&1 \\
              | sed -n 's/^[[:space:]]*SHA256: //p' | head -n 1)
            want=$("$home/bin/keytool" -printcert -file "$NODE_EXTRA_CA_CERTS" 2>&1 \\
              | sed -n 's/^[[:space:]]*SHA256: //p' | head -n 1)
            echo "$have|$want"
            """;
    private static final List<String> TRUST = List.of("HTTPS_PROXY", "https_proxy", "SSL_CERT_FILE",
            "REQUESTS_CA_BUNDLE", "PIP_CERT", "NODE_EXTRA_CA_CERTS", "CARGO_HTTP_CAINFO");
    private static final Duration LIMIT = Duration.ofSeconds(25);
    /** Long enough for every runtime's check at its limit, one after the other. */
    static final Duration DEADLINE = LIMIT.multipliedBy(5);

    private RuntimeProbes() {
    }

    /**
     * Each runtime the guest ships, checked against {@code authority} ({@code host:port});
     * {@code dlpBlocks} says whether the gateway refuses a URL holding an access key's shape, which
     * Go's check needs to keep its request from going upstream.
     */
    static Probe.Result check(Guest guest, String authority, boolean dlpBlocks) throws Exception {
        ExecResult found = run(guest, new ProbeCommand(List.of("sh", "-c", FIND), List.of(), LIMIT));
        if (!ProbeCommand.finished(found)) {
            return Probe.Result.missed("the guest's runtimes could not be listed: " + ProbeCommand.unfinished(found));
        }
        List<String> verified = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String line : found.stdout().strip().lines().toList()) {
            if (line.startsWith("skipped ")) {
                skipped.add(line.substring("skipped ".length()));
                continue;
            }
            String[] runtime = line.split(" ", 2);
            if (runtime.length != 2) {
                continue;
            }
            Seen seen = switch (runtime[0]) {
                case "python3" -> python(guest, runtime[1], authority);
                case "java" -> java(guest, runtime[1], authority);
                case "go" -> go(guest, runtime[1], authority, dlpBlocks);
                case "cargo" -> cargo(guest, runtime[1], authority, dlpBlocks);
                default -> null;
            };
            if (seen == null) {
                continue;
            }
            if (seen.unchecked()) {
                skipped.add(runtime[0] + ": " + seen.text());
            } else {
                (seen.held() ? verified : failed).add(runtime[0] + " (" + seen.text() + ")");
            }
        }
        String notChecked = skipped.isEmpty() ? "" : "; not checked: " + String.join("; ", skipped);
        if (!failed.isEmpty()) {
            return Probe.Result.missed("TLS to " + authority + " through the gateway did not verify with "
                    + String.join("; ", failed) + (verified.isEmpty() ? "" : "; it did with " + String.join(", ",
                    verified)) + notChecked);
        }
        return Probe.Result.held((verified.isEmpty() ? "no python3, java, go or cargo owned by root in " + PLACES
                : "TLS to " + authority + " through the gateway verified with " + String.join(", ", verified))
                + notChecked);
    }

    /**
     * What one runtime saw.
     *
     * @param held whether every client of the runtime verified
     * @param text what each client saw, in a few words
     * @param unchecked whether it was left alone (the text says why)
     */
    private record Seen(boolean held, String text, boolean unchecked) {
        static Seen of(ExecResult r, boolean held, String text) {
            if (!ProbeCommand.finished(r)) {
                return new Seen(false, ProbeCommand.unfinished(r), false);
            }
            return new Seen(held, text.isEmpty() ? "no answer (exit " + r.exitCode() + ")" : text, false);
        }

        /** A runtime left alone, and why. */
        static Seen notChecked(String why) {
            return new Seen(true, why, true);
        }
    }

    private static Seen python(Guest guest, String python, String authority) throws Exception {
        ExecResult r = run(guest, new ProbeCommand(List.of(python, "-I", "-S", "-c", PYTHON, authority), TRUST,
                LIMIT));
        String out = r.stdout().strip();
        // a line of clients, each "NAME verified" when it held
        return Seen.of(r, !out.isEmpty() && List.of(out.split("; ")).stream().allMatch(c -> c.endsWith(" verified")),
                out);
    }

    private static Seen java(Guest guest, String java, String authority) throws Exception {
        ExecResult r = run(guest, new ProbeCommand(List.of("sh", "-c", RUN_JAVA, "probe", JAVA, java, authority),
                TRUST, LIMIT));
        String out = r.stdout().strip();
        if (ProbeCommand.finished(r) && (out.contains("jdk.compiler") || out.contains("Could not find or load main "
                + "class") || out.contains("Unrecognized option"))) {
            return javaStore(guest, java);
        }
        String last = out.lines().reduce((a, b) -> b).orElse("");
        return Seen.of(r, last.equals("verified"), last);
    }

    /**
     * A JVM that cannot run the program (a JRE without a compiler, or one older than 11): its default
     * trust store is read for the bottle's CA instead, and no request is made.
     */
    private static Seen javaStore(Guest guest, String java) throws Exception {
        ExecResult r = run(guest, new ProbeCommand(List.of("sh", "-c", JAVA_STORE, "probe", java),
                List.of("NODE_EXTRA_CA_CERTS"), LIMIT));
        String[] seen = r.stdout().strip().split("\\|", -1);
        boolean held = seen.length == 2 && !seen[0].isBlank() && seen[0].equals(seen[1]);
        return Seen.of(r, held, held ? "it cannot run the probe's program; its default trust store holds the "
                + "bottle's CA" : "it cannot run the probe's program, and its default trust store does not hold the "
                + "bottle's CA (" + r.stdout().strip() + ")");
    }

    private static Seen go(Guest guest, String go, String authority, boolean dlpBlocks) throws Exception {
        return dlpRefused(guest, RUN_GO, go, authority, dlpBlocks, out -> {
            String error = out.lines().filter(l -> l.contains("\"Error\"")).findFirst().orElse(out).strip();
            return error.contains("403 Forbidden") ? new Seen(true, "verified", false) : new Seen(false, error, false);
        });
    }

    private static Seen cargo(Guest guest, String cargo, String authority, boolean dlpBlocks) throws Exception {
        return dlpRefused(guest, RUN_CARGO, cargo, authority, dlpBlocks, out -> {
            if (out.contains("sparse") && (out.contains("unstable") || out.contains("-Z"))) {
                return Seen.notChecked("this cargo predates the sparse index (1.68), which the crates preset uses");
            }
            return out.contains("got 403") ? new Seen(true, "verified", false) : new Seen(false, out.lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse(""), false);
        });
    }

    /**
     * A runtime's own client sent, by {@code script}, to a URL holding an access key's shape, which
     * the gateway's DLP refuses after TLS; {@code read} says what its output shows. With DLP only
     * warning the request would go upstream, so nothing is sent.
     */
    private static Seen dlpRefused(Guest guest, String script, String runtime, String authority, boolean dlpBlocks,
                                   java.util.function.Function<String, Seen> read) throws Exception {
        if (!dlpBlocks) {
            return Seen.notChecked("with DLP only warning its request would go upstream");
        }
        ExecResult r = run(guest, new ProbeCommand(List.of("sh", "-c", script, "probe", runtime, authority), TRUST,
                LIMIT));
        if (!ProbeCommand.finished(r)) {
            return new Seen(false, ProbeCommand.unfinished(r), false);
        }
        Seen seen = read.apply(r.stdout().strip());
        return seen.text().isEmpty() ? new Seen(false, "no answer (exit " + r.exitCode() + ")", false) : seen;
    }

    private static ExecResult run(Guest guest, ProbeCommand command) throws Exception {
        return command.runAs(guest, USER);
    }
}
