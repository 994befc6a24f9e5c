package dev.claudebottle.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.claudebottle.spi.testing.DockerCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pods' firewalls as the launch writes them, run by Debian's iptables (the bundle image's) in
 * real network namespaces: three containers stand for the guest pod, the bundle pod and another pod
 * of the cluster. The guest reaches the bundle's daemon port and nothing else; the bundle takes in
 * its guest alone; and what {@code iptables-save} prints of the bundle is what the bundle-fence
 * probe accepts, so the probe's reading matches the tool's real output.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodFirewallsIT {
    private static final String LABEL = "claude-bottle-it=1";
    private final List<String> containers = new ArrayList<>();
    private String image;
    private String guest;
    private String bundle;
    private String other;
    private String guestIp;
    private String bundleIp;

    @BeforeAll
    void pods(@TempDir Path temp) throws Exception {
        image = image(temp);
        // the guest first: the bundle admits its address, as the launch does once the guest pod has one
        guest = run("--cap-add", "NET_ADMIN", image, "sleep", "infinity");
        guestIp = address(guest);
        bundle = run("--cap-add", "NET_ADMIN", image, "sh", "-c", BundleFirewall.refuseAll() + " && "
                + String.join(" ", BundleFirewall.admit(guestIp, "8888")) + " && touch /tmp/fenced && "
                + "(socat TCP-LISTEN:8888,fork,reuseaddr SYSTEM:'echo daemon' & "
                + "socat TCP-LISTEN:9000,fork,reuseaddr SYSTEM:'echo other'; )");
        bundleIp = address(bundle);
        other = run(image, "sh", "-c", "socat TCP-LISTEN:7000,fork,reuseaddr SYSTEM:'echo neighbour'");
        awaitFile(bundle, "/tmp/fenced");
        docker(30, "exec", guest, "sh", "-c", GuestFirewall.script(bundleIp, "8888"));
    }

    @AfterAll
    void remove() throws Exception {
        for (String id : containers) {
            docker(60, "rm", "-f", id);
        }
    }

    @Test
    void theGuestReachesTheBundlesDaemonPortAndNothingElse() throws Exception {
        assertThat(connect(guest, bundleIp, 8888)).isEqualTo("daemon");
        assertThat(connect(guest, bundleIp, 9000)).as("the bundle's other port").isEmpty();
        assertThat(connect(guest, address(other), 7000)).as("another pod").isEmpty();
    }

    @Test
    void theBundleTakesInItsGuestAloneAndTheProbeReadsItsRulesAsTheFence() throws Exception {
        assertThat(connect(other, bundleIp, 8888)).as("another pod at the daemon's port").isEmpty();

        String saved = docker(30, "exec", bundle, BundleFirewall.READ.get(0), BundleFirewall.READ.get(1),
                BundleFirewall.READ.get(2));
        assertThat(BundleFirewall.difference(guestIp, "8888", saved)).as(saved).isEmpty();
        assertThat(BundleFirewall.difference(address(other), "8888", saved)).isPresent();
    }

    /** What {@code from} reads from {@code host:port} within two seconds; empty when it could not connect. */
    private String connect(String from, String host, int port) throws Exception {
        List<String> argv = List.of("docker", "exec", from, "timeout", "3", "socat", "-t", "1", "-T", "2", "-",
                "TCP:" + host + ":" + port + ",connect-timeout=1");
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private String run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("run", "-d", "--label", LABEL));
        argv.addAll(List.of(args));
        String id = docker(60, argv.toArray(String[]::new));
        containers.add(id);
        return id;
    }

    private static String address(String container) throws Exception {
        return docker(30, "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container);
    }

    private static void awaitFile(String container, String file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("docker", "exec", container, "test", "-e", file).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(container + " did not set its firewall: " + docker(30, "logs", container));
    }

    /** The test image, built once per engine, tagged by its Dockerfile. */
    private static String image(Path temp) throws Exception {
        byte[] dockerfile;
        try (InputStream in = PodFirewallsIT.class.getResourceAsStream("/it/firewall/Dockerfile")) {
            dockerfile = in.readAllBytes();
        }
        String tag = "claude-bottle-it/firewall:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(dockerfile)).substring(0, 12);
        if (docker(30, "images", "-q", tag).isEmpty()) {
            Path context = Files.createDirectories(temp.resolve("firewall"));
            Files.write(context.resolve("Dockerfile"), dockerfile);
            docker(900, "build", "-q", "-t", tag, context.toString());
        }
        return tag;
    }

    private static String docker(int seconds, String... args) throws IOException, InterruptedException {
        return DockerCli.run(seconds, args);
    }
}
