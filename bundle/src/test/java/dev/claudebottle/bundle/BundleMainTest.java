package dev.claudebottle.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.provision.ca.CertificateAuthority;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.spi.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's JVM as the backend starts it: a process with its configuration in the env. */
class BundleMainTest {
    @TempDir
    Path dir;

    @Test
    void theGatewaySaysItListensOnlyWhenItAcceptsConnections() throws Exception {
        new CertificateAuthority().mint("main-test", dir.resolve("ca"));
        int port = freePort();
        Process bundle = start(port);
        try {
            String line = firstLine();
            assertThat(line).contains("gateway: listening on").contains(":" + port).contains("for bottle main-test");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                assertThat(socket.isConnected()).isTrue();
            }
        } finally {
            bundle.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCaThatCannotBeLoadedStopsTheBundleWithTheReason() throws Exception {
        Files.createDirectories(dir.resolve("ca"));
        Files.writeString(dir.resolve("ca/ca.crt"), "not a certificate");
        Files.writeString(dir.resolve("ca/ca.key"), "not a key");
        Process bundle = start(freePort());
        boolean exited = bundle.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            bundle.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String err = Files.readString(errors());
        assertThat(exited).as("the bundle exits once its CA failed to load").isTrue();
        assertThat(bundle.exitValue()).isNotZero();
        assertThat(err).contains("ca.crt holds no certificate").doesNotContain("listening");
    }

    @Test
    void withoutTheGatewayTheOtherDaemonsStartAndReadNoPolicy() throws Exception {
        Files.writeString(trust(), "{\"version\":1,\"dlp_patterns\":[]}");
        Files.createDirectories(dir.resolve("queue"));
        int port = freePort();
        ProcessBuilder builder = bundle("supervise");
        builder.environment().put(BundleVariables.SUPERVISE_PORT.name(), Integer.toString(port));
        builder.environment().put(BundleVariables.APPROVAL_QUEUE.name(), dir.resolve("queue").toString());
        Process bundle = builder.start();
        try {
            assertThat(firstLine()).as("no policy file was written, as without the gateway's plugin")
                    .contains("supervise: listening on").contains(":" + port);
        } finally {
            bundle.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingTrustFileStopsTheBundleNamingIt() throws Exception {
        new CertificateAuthority().mint("main-test", dir.resolve("ca"));
        writePolicy();
        ProcessBuilder builder = bundle("gateway");
        builder.environment().put(BundleVariables.GATEWAY_PORT.name(), Integer.toString(freePort()));
        Process bundle = builder.start();
        boolean exited = bundle.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            bundle.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(exited).as("the bundle exits without its trust file").isTrue();
        assertThat(bundle.exitValue()).isNotZero();
        assertThat(Files.readString(errors())).contains("cannot read the trust file " + trust())
                .doesNotContain("listening");
    }

    private Process start(int port) throws IOException {
        writePolicy();
        Files.writeString(trust(), "{\"version\":1,\"dlp_patterns\":[{\"name\":\"corp\",\"regex\":\"corp_[0-9]+\"}]}");
        ProcessBuilder builder = bundle("gateway");
        builder.environment().put(BundleVariables.GATEWAY_PORT.name(), Integer.toString(port));
        return builder.start();
    }

    private void writePolicy() throws IOException {
        Files.writeString(dir.resolve("policy.json"),
                "{\"version\":2,\"allow\":[],\"routes\":[],\"dlp\":{\"action\":\"block\"}}");
    }

    /** The bundle's JVM running {@code daemons}, with the record, the CA, the policy and the trust file in {@link #dir}. */
    private ProcessBuilder bundle(String daemons) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), BundleMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(BundleVariables.SLUG.name(), "main-test");
        builder.environment().put(BundleVariables.DAEMONS.name(), daemons);
        builder.environment().put(BundleVariables.GATEWAY_POLICY.name(), dir.resolve("policy.json").toString());
        builder.environment().put(BundleVariables.TRUST.name(), trust().toString());
        builder.environment().put(BundleVariables.CA_DIR.name(), dir.resolve("ca").toString());
        builder.environment().put(BundleVariables.AUDIT_LOG.name(), dir.resolve("audit.jsonl").toString());
        builder.redirectError(errors().toFile());
        return builder;
    }

    private Path trust() {
        return dir.resolve("trust.json");
    }

    private Path errors() {
        return dir.resolve("bundle.err");
    }

    /** The bundle's first line of output, once it printed one. */
    private String firstLine() throws Exception {
        return Await.value(Duration.ofSeconds(60), "the bundle's first line", () -> {
            String out = Files.readString(errors());
            return out.contains("\n") ? Optional.of(out.substring(0, out.indexOf('\n'))) : Optional.empty();
        });
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
