package dev.claudebottle.bundle.git;

import static dev.claudebottle.bundle.git.GitCli.git;
import static dev.claudebottle.bundle.git.GitCli.gitResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.trust.SecretScanner;
import dev.claudebottle.bundle.trust.UpstreamTrust;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate against an HTTPS upstream (git http-backend behind TLS with its own CA, on loopback)
 * that wants a token: the gate logs in with the token from its config, trusts the upstream
 * through {@code upstream_ca}, and never shows the token.
 */
class GitGateHttpsTest {
    private static final String TOKEN = "ghp_TOKENVALUE0123456789abcdefghijklmnop";
    @TempDir
    Path temp;
    Path upstream;
    GitHttpsUpstream server;
    SSLSocketFactory previous;
    ByteArrayOutputStream daemonLog = new ByteArrayOutputStream();
    GitGate gate;

    @BeforeEach
    void start() throws Exception {
        Path root = Files.createDirectories(temp.resolve("srv"));
        upstream = root.resolve("app.git");
        GitCli.seedBareRepo(upstream, "over https\n");
        git(upstream, "config", "http.receivepack", "true");
        server = new GitHttpsUpstream(root, "x-access-token", TOKEN);
        previous = HttpsURLConnection.getDefaultSSLSocketFactory();
        HttpsURLConnection.setDefaultSSLSocketFactory(UpstreamTrust.sslContext(
                Optional.of(server.writeCa(temp.resolve("upstream-ca.pem")))).getSocketFactory());
    }

    @AfterEach
    void stop() throws Exception {
        HttpsURLConnection.setDefaultSSLSocketFactory(previous);
        if (gate != null) {
            gate.close();
        }
        server.close();
    }

    private String startGate(String token) throws Exception {
        GateRepo repo = new GateRepo("app", server.url("app.git"), List.of("agent/*"), List.of("main"),
                Optional.empty(), Optional.empty(), Optional.of(new HttpsLogin("x-access-token", token)));
        gate = new GitGate(List.of(repo), temp.resolve("gate"), new SecretScanner(List.of()),
                new AuditLog(temp.resolve("audit.jsonl")), new DaemonLog("git-gate", new PrintStream(daemonLog)),
                "test-1", new InetSocketAddress("127.0.0.1", 0));
        return "git://127.0.0.1:" + gate.start().getPort() + "/app.git";
    }

    @Test
    void cloneAndPushReachTheUpstreamWithTheToken() throws Exception {
        String url = startGate(TOKEN);
        Path work = temp.resolve("work");
        git(temp, "clone", "--quiet", url, work.toString());
        assertThat(Files.readString(work.resolve("README"))).isEqualTo("over https\n");
        git(work, "checkout", "-b", "agent/https");
        Files.writeString(work.resolve("change.txt"), "agent\n");
        git(work, "add", "change.txt");
        git(work, "commit", "-m", "agent change");

        git(work, "push", "--quiet", "origin", "agent/https");

        assertThat(git(upstream, "log", "--format=%s", "agent/https")).isEqualTo("agent change\nfirst");
        String login = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(server.authorizations).contains(login);
    }

    @Test
    void aRefusedTokenFailsTheFetchWithoutShowingIt() throws Exception {
        String wrong = "ghp_WRONGVALUE0123456789abcdefghijklmnop";
        String url = startGate(wrong);

        GitCli.Result clone = gitResult(temp, "clone", url, temp.resolve("x").toString());

        assertThat(clone.code()).isNotZero();
        assertThat(clone.output()).contains("remote error: the git gate cannot reach the upstream of app")
                .doesNotContain(wrong);
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains("\"decision\":\"error\"").doesNotContain(wrong);
        assertThat(daemonLog.toString(StandardCharsets.UTF_8)).isNotEmpty().doesNotContain(wrong);
    }

    @Test
    void anUpstreamOutsideTheTrustedCasIsRefused() throws Exception {
        HttpsURLConnection.setDefaultSSLSocketFactory(UpstreamTrust.sslContext(Optional.empty()).getSocketFactory());
        String url = startGate(TOKEN);

        GitCli.Result clone = gitResult(temp, "clone", url, temp.resolve("x").toString());

        assertThat(clone.code()).isNotZero();
        assertThat(clone.output()).contains("remote error: the git gate cannot reach the upstream of app")
                .contains("the upstream's certificate is not trusted").contains("\"CN=git upstream test CA\"");
        assertThat(server.authorizations).isEmpty();
    }
}
