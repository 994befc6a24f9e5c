package dev.claudebottle.bundle.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudebottle.provision.ca.CertificateAuthority;
import dev.claudebottle.spi.manifest.DlpPattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayWarmUpTest {
    @TempDir
    static Path dir;
    static LeafCertificates leaves;

    @BeforeAll
    static void ca() throws Exception {
        new CertificateAuthority().mint("warm-up-test", dir.resolve("ca"));
        leaves = LeafCertificates.load(dir.resolve("ca"));
    }

    @Test
    void everyRequestGoesThroughAGatewayOfItsOwnAndTheRouteInjects() throws Exception {
        // run() refuses to report unless its upstream saw the route's value in place of the placeholder
        GatewayWarmUp.Report report = GatewayWarmUp.run(leaves, dir.resolve("ca/ca.crt"), List.of(), 400);
        assertEquals(400, report.requests());
        assertTrue(report.took().toNanos() > 0);
    }

    @Test
    void itsRequestsAreScannedAsAGuestsAre() {
        // a pattern the warm-up's JSON body matches: the gateway's scanner refuses it, and the warm-up says so
        IOException e = assertThrows(IOException.class, () -> GatewayWarmUp.run(leaves, dir.resolve("ca/ca.crt"),
                List.of(new DlpPattern("warm-up-body", "Summarise the change")), 40));
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    @Test
    void itLeavesNoFileAndNoIdleThreadBehind() throws Exception {
        List<String> before = warmUpDirs();
        List<String> said = new CopyOnWriteArrayList<>();
        Thread warm = GatewayWarmUp.inBackground(leaves, dir.resolve("ca/ca.crt"), List.of(), 200,
                java.time.Duration.ZERO, said::add);
        warm.join(120_000);
        assertFalse(warm.isAlive());
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("warmed up: 200 requests"), said.get(0));
        assertEquals(before, warmUpDirs());
        // the warm-up's gateway, upstreams and clients ran in SCHED_IDLE: none of their threads may stay
        assertEquals(List.of(), IdleSchedulingTest.idleThreadsOnceEnded());
    }

    private static List<String> warmUpDirs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("claude-bottle-warm-up"))
                    .sorted().toList();
        }
    }
}
