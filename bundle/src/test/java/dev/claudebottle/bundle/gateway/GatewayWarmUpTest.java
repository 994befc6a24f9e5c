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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayWarmUpTest {
    @TempDir
    static Path dir;
    static LeafCertificates leaves;
    static Path caCert;

    @BeforeAll
    static void ca() throws Exception {
        new CertificateAuthority().mint("warm-up-test", dir.resolve("ca"));
        leaves = LeafCertificates.load(dir.resolve("ca"));
        caCert = dir.resolve("ca/ca.crt");
    }

    @Test
    void everyRequestGoesThroughAGatewayOfItsOwnAndEveryInterceptedOneHasTheRoutesValue() throws Exception {
        // run() counts, at its upstream, the requests whose placeholder was replaced: each intercepted one
        GatewayWarmUp.Report report = GatewayWarmUp.run(leaves, caCert, List.of(), 400, () -> false);
        assertEquals(400, report.requests());
        assertFalse(report.gaveWay());
        assertTrue(report.took().toNanos() > 0);
    }

    @Test
    void itsRequestsAreScannedAsAGuestsAre() {
        // a pattern the warm-up's JSON body matches: the gateway's scanner refuses it, and the warm-up says so
        IOException e = assertThrows(IOException.class, () -> GatewayWarmUp.run(leaves, caCert,
                List.of(new DlpPattern("warm-up-body", "Summarise the change")), 40, () -> false));
        assertTrue(e.getMessage().contains("403") && e.getMessage().contains(Responses.REASON_HEADER + ": dlp"),
                e.getMessage());
    }

    @Test
    void itGivesWayBetweenTwoRequests() throws Exception {
        // the clients ask before each request: every ask after the 250th says stop, so 250 requests are sent
        AtomicInteger asks = new AtomicInteger();
        GatewayWarmUp.Report report = GatewayWarmUp.run(leaves, caCert, List.of(), 4_000,
                () -> asks.incrementAndGet() > 250);
        assertTrue(report.gaveWay());
        assertEquals(250, report.requests());
    }

    @Test
    void inTheBackgroundItRunsIdleAndLeavesNoFileAndNoIdleThreadBehind() throws Exception {
        List<String> before = warmUpDirs();
        List<String> said = new CopyOnWriteArrayList<>();
        Thread warm = GatewayWarmUp.inBackground(leaves, caCert, List.of(), 2_000, Duration.ZERO, () -> 0, said::add);
        // while it runs, its clients are in SCHED_IDLE
        boolean clientsSeenIdle = false;
        while (warm.isAlive() && !clientsSeenIdle) {
            clientsSeenIdle = IdleSchedulingTest.idleThreads().contains("warm-up-client");
            Thread.sleep(10);
        }
        warm.join(120_000);
        assertFalse(warm.isAlive());
        assertTrue(clientsSeenIdle, "no warm-up client was seen in SCHED_IDLE");
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("warmed up: 2000 requests"), said.get(0));
        assertEquals(before, warmUpDirs());
        // and none of its threads, nor a JDK thread one of them started, stays in the class
        assertEquals(List.of(), IdleSchedulingTest.idleThreadsOnceEnded());
    }

    @Test
    void inTheBackgroundItWaitsForAQuietStretchAndGivesWayToTheGuest() throws Exception {
        // the guest sends something between every two looks: no stretch is quiet, nothing is sent
        AtomicLong guestReads = new AtomicLong();
        List<String> said = new CopyOnWriteArrayList<>();
        Thread busy = GatewayWarmUp.inBackground(leaves, caCert, List.of(), 16_000, Duration.ofMillis(20),
                guestReads::incrementAndGet, said::add);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (guestReads.get() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(guestReads.get() >= 50, "looks: " + guestReads.get());
        assertTrue(said.isEmpty(), said.toString());
        busy.interrupt();
        busy.join(10_000);
        assertEquals(List.of("warm-up interrupted"), said);

        // quiet for a stretch, then busy once each run has sent some requests: it gives way each time, five times
        AtomicInteger looks = new AtomicInteger();
        List<String> saidAgain = new CopyOnWriteArrayList<>();
        Thread givingWay = GatewayWarmUp.inBackground(leaves, caCert, List.of(), 16_000, Duration.ZERO,
                () -> looks.incrementAndGet() / 100, saidAgain::add);
        givingWay.join(120_000);
        assertFalse(givingWay.isAlive());
        assertEquals(List.of("no warm-up: it gave way to the guest's traffic " + GatewayWarmUp.TRIES + " times"),
                saidAgain);
        assertTrue(looks.get() > GatewayWarmUp.TRIES * 100, "looks: " + looks.get());
    }

    private static List<String> warmUpDirs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("claude-bottle-warm-up"))
                    .sorted().toList();
        }
    }
}
