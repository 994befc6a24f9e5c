package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from a real guest through the gateway's interception: the upstream is a container serving
 * TLS with a certificate from its own CA, which only the bundle trusts (the manifest's
 * {@code upstream_ca}, last in a bundle of the system's size); the guest trusts only the bottle's
 * CA. No traffic leaves this machine.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsInterceptionIT {
    private static final String KEY = "it-TLSVALUE-8a7b6c5d4e3f";
    private static final String EGRESS = "claude-bottle-it-tls-egress";
    private static final String UPSTREAM = "claude-bottle-it-tls-upstream";
    private static final String SERVER = "const https=require('https'),fs=require('fs');"
            + "https.createServer({key:fs.readFileSync('/certs/server.key'),cert:fs.readFileSync('/certs/server.crt')},"
            + "(q,s)=>{q.resume();q.on('end',()=>{fs.appendFileSync('/tmp/requests.log',JSON.stringify({host:"
            + "q.headers.host,url:q.url,key:q.headers['x-api-key']||null})+'\\n');"
            + "s.end('hello from '+q.headers.host+' over tls\\n');});}).listen(443);";
    Path work;
    Path home;

    @BeforeAll
    void upstream(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        String agentImage = cli().agentImage();
        Path certs = TestCa.mint(agentImage, temp.resolve("certs"), "it upstream CA",
                List.of("secure.test", "secureapi.test"));
        // upstream_ca as corporate bundles come: the upstream's CA last, behind another CA saved
        // without a final line break and the JDK's own CAs (a bundle of the system's size).
        Path other = TestCa.mint(agentImage, temp.resolve("other"), "it other CA", List.of("other.test"));
        StringBuilder bundle = new StringBuilder(Files.readString(other.resolve("ca.crt")).stripTrailing());
        for (X509Certificate system : systemCas()) {
            bundle.append("\n-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(system.getEncoded()))
                    .append("\n-----END CERTIFICATE-----");
        }
        bundle.append('\n').append(Files.readString(certs.resolve("ca.crt")));
        Files.writeString(work.resolve("upstream-ca.crt"), bundle);
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  tls:
                    egress:
                      allow:
                        - host: secure.test
                          paths: ["/"]
                      routes:
                        - host: secureapi.test
                          header: x-api-key
                          value: "${IT_TLS_KEY}"
                          placeholder: {env: IT_TLS_KEY, value: bottle-placeholder}
                          private: true
                      upstream_ca: upstream-ca.crt
                agents:
                  probe:
                    bottle: tls
                    command: [bash]
                """);
        Docker.run("rm", "-f", UPSTREAM);
        Docker.ensureNetwork(EGRESS);
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "secure.test", "--network-alias", "secureapi.test", "-v", certs + ":/certs:ro",
                agentImage, "node", "-e", SERVER);
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM);
        Docker.run("network", "rm", EGRESS);
    }

    private static List<X509Certificate> systemCas() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> out = new ArrayList<>();
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                out.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        return out;
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_TLS_KEY", KEY);
    }

    @Test
    void interceptedHttpsIsDecryptedCheckedAndCarriesTheInjectedKey() throws Exception {
        String script = String.join("\n",
                "echo ISSUER=$(curl -sv -o /dev/null https://secure.test/hello 2>&1 | sed -n 's/^\\*  *issuer: //p')",
                "echo BODY=$(curl -s https://secure.test/hello)",
                "echo ROUTE=$(curl -s -H \"x-api-key: $IT_TLS_KEY\" https://secureapi.test/v1/messages)",
                "echo TRIP=$(curl -s -o /dev/null -w '%{http_code}' -H \"x-api-key: $IT_TLS_KEY\" "
                        + "https://secure.test/trip)",
                "echo DLP=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode 'x=AKIAABCDEFGHIJKLMNOP' "
                        + "https://secure.test/dlp)");
        var r = cli().run("run", "probe", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("ISSUER=.*claude-bottle probe-[0-9a-f]+ CA")
                .contains("BODY=hello from secure.test over tls", "ROUTE=hello from secureapi.test over tls",
                        "TRIP=403", "DLP=403");
        assertThat(r.all()).doesNotContain(KEY);
        String log = Docker.run("exec", UPSTREAM, "sh", "-c", "cat /tmp/requests.log 2>/dev/null || true");
        assertThat(log).contains("\"host\":\"secure.test\",\"url\":\"/hello\"")
                .contains("\"host\":\"secureapi.test\",\"url\":\"/v1/messages\",\"key\":\"" + KEY + "\"")
                .doesNotContain("bottle-placeholder").doesNotContain("/trip").doesNotContain("/dlp");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
    }
}
