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
 * Python (its {@code ssl}, and {@code requests} and the certifi bundles where installed), Java and
 * Go each make a real TLS request through the gateway to a host it intercepts, with verification
 * on. The request is a {@code TRACE}, which the gateway answers itself with 405 after the
 * handshake: nothing goes upstream. curl, node and git are checked by the CA probe itself.
 */
final class RuntimeProbes {
    /** The runtimes looked for, each in the places only root writes where its packages put it. */
    private static final String FIND = "for r in python3 java go; do for d in /usr/local/bin /usr/bin /bin "
            + "/usr/local/go/bin /usr/lib/go/bin; do if [ -x \"$d/$r\" ] && [ ! -d \"$d/$r\" ]; then echo \"$r $d/$r\"; "
            + "break; fi; done; done";
    /** What Python's clients do: a TRACE with each trust a Python program may use; "verified" for each that held. */
    private static final String PYTHON = """
            import sys, ssl, urllib.request, urllib.error
            url = "https://" + sys.argv[1] + "/"
            def trace(context):
                try:
                    urllib.request.urlopen(urllib.request.Request(url, method="TRACE"), timeout=10, context=context)
                    return "answered without a refusal"
                except urllib.error.HTTPError as e:
                    return "verified" if e.code == 405 else "status %d" % e.code
                except Exception as e:
                    return "%s: %s" % (type(e).__name__, getattr(e, "reason", e))
            seen = ["ssl " + trace(None)]
            for name in ("certifi", "pip._vendor.certifi"):
                try:
                    where = __import__(name, fromlist=["where"]).where()
                except Exception:
                    continue
                seen.append(name + " " + trace(ssl.create_default_context(cafile=where)))
            try:
                import requests
                status = requests.request("TRACE", url, timeout=10).status_code
                seen.append("requests " + ("verified" if status == 405 else "status %d" % status))
            except ImportError:
                pass
            except Exception as e:
                seen.append("requests %s: %s" % (type(e).__name__, e))
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
                                .connectTimeout(Duration.ofSeconds(10)).build();
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("https://" + a[0] + "/"))
                                .method("TRACE", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        System.out.println(r.statusCode() == 405 ? "verified" : "status " + r.statusCode());
                    } catch (Exception e) {
                        System.out.println(e);
                    }
                }
            }
            """;
    /** Go's default client: the proxy from the env, the system store and SSL_CERT_FILE. */
    private static final String GO = """
            package main

            import ("fmt"; "net/http"; "os"; "time")

            func main() {
                req, _ := http.NewRequest("TRACE", "https://"+os.Args[1]+"/", nil)
                r, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
                if err != nil {
                    fmt.Println(err)
                    return
                }
                if r.StatusCode == 405 {
                    fmt.Println("verified")
                } else {
                    fmt.Println("status", r.StatusCode)
                }
            }
            """;
    /**
     * Writes a program's source to a directory only root can enter, runs it, and removes it: the
     * agent can neither swap the source nor read what it has not already.
     */
    private static final String RUN_SOURCE = "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && printf '%s' \"$1\" > "
            + "\"$d/$2\" && shift 2 && case \"$1\" in *java) \"$1\" \"$d/TlsProbe.java\" \"$2\" 2>&1 ;; *go) "
            + "GOCACHE=\"$d/cache\" GOPATH=\"$d/gopath\" GOTOOLCHAIN=local GOPROXY=off GOFLAGS= \"$1\" run "
            + "\"$d/probe.go\" \"$2\" 2>&1 ;; esac";
    private static final List<String> TRUST = List.of("HTTPS_PROXY", "https_proxy", "SSL_CERT_FILE",
            "REQUESTS_CA_BUNDLE", "PIP_CERT");
    private static final Duration LIMIT = Duration.ofSeconds(40);

    private RuntimeProbes() {
    }

    /** Each runtime the guest ships, checked against {@code authority} ({@code host:port}). */
    static Probe.Result check(Guest guest, String authority) throws Exception {
        ExecResult found = new ProbeCommand(List.of("sh", "-c", FIND), List.of(), LIMIT).run(guest);
        if (!ProbeCommand.finished(found)) {
            return Probe.Result.missed("the guest's runtimes could not be listed: " + ProbeCommand.unfinished(found));
        }
        List<String> verified = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String line : found.stdout().strip().lines().toList()) {
            String[] runtime = line.split(" ", 2);
            if (runtime.length != 2) {
                continue;
            }
            Seen seen = run(guest, runtime[0], runtime[1], authority);
            (seen.held() ? verified : failed).add(runtime[0] + " (" + seen.text() + ")");
        }
        if (!failed.isEmpty()) {
            return Probe.Result.missed("TLS to " + authority + " through the gateway did not verify with "
                    + String.join("; ", failed) + (verified.isEmpty() ? "" : "; it did with " + String.join(", ",
                    verified)));
        }
        return Probe.Result.held(verified.isEmpty() ? "no python3, java or go in the guest" : "TLS to " + authority
                + " through the gateway verified with " + String.join(", ", verified));
    }

    /**
     * What one runtime saw.
     *
     * @param held whether every client of the runtime verified
     * @param text what each client saw, in a few words
     */
    private record Seen(boolean held, String text) {
    }

    private static Seen run(Guest guest, String runtime, String path, String authority) throws Exception {
        ExecResult r = switch (runtime) {
            case "python3" -> new ProbeCommand(List.of(path, "-I", "-c", PYTHON, authority), TRUST, LIMIT).run(guest);
            case "java" -> new ProbeCommand(List.of("sh", "-c", RUN_SOURCE, "probe", JAVA, "TlsProbe.java", path,
                    authority), TRUST, LIMIT).run(guest);
            default -> new ProbeCommand(List.of("sh", "-c", RUN_SOURCE, "probe", GO, "probe.go", path, authority),
                    TRUST, LIMIT).run(guest);
        };
        if (!ProbeCommand.finished(r)) {
            return new Seen(false, ProbeCommand.unfinished(r));
        }
        String out = r.stdout().strip();
        if (runtime.equals("python3")) {
            // a line of clients, each "NAME verified" when it held
            List<String> clients = List.of(out.split("; "));
            return new Seen(!out.isEmpty() && clients.stream().allMatch(c -> c.endsWith(" verified")), out.isEmpty()
                    ? "no answer (exit " + r.exitCode() + ")" : out);
        }
        if (runtime.equals("java") && out.contains("jdk.compiler")) {
            return javaStore(guest, path);
        }
        String last = out.lines().reduce((a, b) -> b).orElse("");
        return new Seen(last.equals("verified"), last.isEmpty() ? "no answer (exit " + r.exitCode() + ")" : last);
    }

    /**
     * A JVM without a compiler (a JRE) cannot run the probe's source: its default trust store is
     * read instead, for the bottle's CA under the alias the launch gave it.
     */
    private static Seen javaStore(Guest guest, String java) throws Exception {
        ExecResult r = new ProbeCommand(List.of("sh", "-c", "k=\"$(dirname \"$(readlink -f \"$1\")\")/keytool\" && "
                + "\"$k\" -list -cacerts -storepass changeit -alias claude-bottle-1 2>&1", "probe", java), List.of(),
                LIMIT).run(guest);
        boolean held = ProbeCommand.finished(r) && r.exitCode() == 0 && r.stdout().contains("trustedCertEntry");
        return new Seen(held, held ? "a JRE: no request made, its default trust store holds the bottle's CA"
                : "a JRE whose default trust store lacks the bottle's CA: " + r.stdout().strip());
    }
}
