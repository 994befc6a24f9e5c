package dev.claudebottle.provision.ca;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the guest comes to trust the bottle's CA and the host's extra CAs, for every runtime it
 * ships and without per-tool setup: the system store (OpenSSL, curl, git, Go, Ruby, apt), each
 * JVM's default trust store, each certifi bundle Python finds (Python's own {@code requests} and
 * pip's vendored one), and the variables the other runtimes read.
 */
final class GuestTrust {
    /** Where the guest keeps the certificates. */
    static final String GUEST_CERT = "/usr/local/share/ca-certificates/claude-bottle.crt";
    /** The guest's system bundle, which gets the certificates appended. */
    static final String GUEST_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
    /** The password every JDK ships its default trust store with. */
    static final String JVM_STORE_PASSWORD = "changeit";

    /**
     * Does what {@code update-ca-certificates} would for the added certificates, in a fraction of
     * its second, then adds them to each JVM's default store and each certifi bundle found. Runs
     * as root in the fresh guest, before anything of the agent's, from {@code /} with a clean env
     * ({@link #argv}); JVMs are looked for on that PATH and under {@code /usr/lib/jvm} and
     * {@code /opt}, as the image put them.
     */
    static final String SCRIPT = """
            set -e
            cd /
            cert="$1"; bundle="$2"
            test -s "$bundle"
            printf '\\n' >> "$bundle"
            cat "$cert" >> "$bundle"
            ln -sf "$cert" /etc/ssl/certs/claude-bottle.pem
            if command -v openssl >/dev/null 2>&1; then
              ln -sf claude-bottle.pem "/etc/ssl/certs/$(openssl x509 -hash -noout -in "$cert").0"
            fi
            parts=$(mktemp -d)
            trap 'rm -rf "$parts"' EXIT
            awk -v dir="$parts" '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (dir "/" n ".pem") }' "$cert"
            # each JVM's default trust store, once however many links lead to it
            seen=""
            for java in $(command -v java 2>/dev/null) /usr/lib/jvm/*/bin/java /opt/*/bin/java /opt/*/*/bin/java; do
              [ -x "$java" ] || continue
              home=$(dirname "$(dirname "$(readlink -f "$java")")")
              keytool="$home/bin/keytool"
              [ -x "$keytool" ] || continue
              for store in "$home/lib/security/cacerts" "$home/jre/lib/security/cacerts"; do
                [ -f "$store" ] || continue
                store=$(readlink -f "$store")
                case " $seen " in *" $store "*) continue ;; esac
                seen="$seen $store"
                for part in "$parts"/*.pem; do
                  alias="claude-bottle-$(basename "$part" .pem)"
                  "$keytool" -delete -noprompt -keystore "$store" -storepass "$3" -alias "$alias" >/dev/null 2>&1 || true
                  if ! out=$("$keytool" -importcert -noprompt -keystore "$store" -storepass "$3" -alias "$alias" \\
                      -file "$part" 2>&1); then
                    echo "the JVM in $home: keytool could not add the CA to $store: $out" >&2
                    exit 1
                  fi
                done
              done
            done
            # each certifi bundle in Python's site directories, found without importing anything but the
            # standard library (-I -S): requests' own, and pip's vendored one
            for python in $(command -v python3 2>/dev/null) $(command -v python 2>/dev/null); do
              "$python" -I -S -c "$4" 2>/dev/null | while read -r where; do
                where=$(readlink -f "$where")
                [ -f "$where" ] && [ "$where" != "$(readlink -f "$bundle")" ] || continue
                grep -qF "$(sed -n 2p "$cert")" "$where" && continue
                printf '\\n' >> "$where"
                cat "$cert" >> "$where"
              done
            done
            """;

    private GuestTrust() {
    }

    /** Lists the certifi bundles in Python's site directories, a path a line. */
    static final String CERTIFI_BUNDLES = """
            import glob, os, site
            for d in site.getsitepackages():
                for pattern in ("certifi/cacert.pem", "pip/_vendor/certifi/cacert.pem"):
                    for f in glob.glob(os.path.join(d, pattern)):
                        print(f)
            """;

    /** The command that runs {@link #SCRIPT} with nothing of the guest's env but a PATH of root's. */
    static List<String> argv(String storePassword) {
        return List.of("/usr/bin/env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME=/root", "LC_ALL=C", "sh", "-c", SCRIPT, "sh", GUEST_CERT, GUEST_BUNDLE, storePassword,
                CERTIFI_BUNDLES);
    }

    /**
     * The variables that point the runtimes which do not read the system store by default at the
     * bundle that holds the bottle's CA as well: Node (extra CAs, added to its own), Python's
     * {@code ssl}, {@code requests} and pip, cargo, Deno and the AWS CLI.
     */
    static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NODE_EXTRA_CA_CERTS", GUEST_CERT);
        env.put("SSL_CERT_FILE", GUEST_BUNDLE);
        env.put("REQUESTS_CA_BUNDLE", GUEST_BUNDLE);
        env.put("PIP_CERT", GUEST_BUNDLE);
        env.put("CARGO_HTTP_CAINFO", GUEST_BUNDLE);
        env.put("DENO_CERT", GUEST_BUNDLE);
        env.put("AWS_CA_BUNDLE", GUEST_BUNDLE);
        return env;
    }
}
