package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.AlertMarker;
import dev.claudebottle.contract.BundleLayout;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tripped wire: the bottle is marked tainted, and with on_alert: stop nothing more leaves it. */
class GatewayAlertTest {
    private static final String TRIP = "CONNECT elsewhere.test:443 HTTP/1.1\r\nHost: elsewhere.test:443\r\n"
            + "x-api-key: " + GatewayFixture.PLACEHOLDER + "\r\n\r\n";
    @TempDir
    Path dir;

    private GatewayFixture gateway() throws Exception {
        return new GatewayFixture(dir, Map.of()).start(GatewayFixture.policy(List.of(),
                List.of(GatewayFixture.route("api.test", 443, "x-api-key"))));
    }

    @Test
    void theFirstAlertLeavesOneMarkerAndIsHandedOnOnce() throws Exception {
        try (GatewayFixture f = gateway()) {
            AtomicInteger handed = new AtomicInteger();
            f.audit.onFirstAlert(alert -> handed.incrementAndGet());
            // the gateway's stop and the git gate's close listen side by side
            f.audit.onFirstAlert(alert -> handed.addAndGet(10));

            assertThat(f.raw(TRIP)).startsWith("HTTP/1.1 403");
            assertThat(f.raw(TRIP.replace("elsewhere", "another"))).startsWith("HTTP/1.1 403");

            AlertMarker marker = AlertMarker.fromJson(new ObjectMapper().readValue(
                    dir.resolve("audit").resolve(AlertMarker.FILE).toFile(), Object.class));
            assertThat(marker.rule()).isEqualTo("tripwire");
            assertThat(marker.reason()).contains("elsewhere.test").doesNotContain("another.test");
            assertThat(handed).as("each listener once").hasValue(11);
            assertThat(f.auditLines()).filteredOn(l -> l.contains("\"decision\":\"alert\"")).hasSize(2);
        }
    }

    @Test
    void theFencesProbeMeetsTheTripwireWithoutTaintingTheBottle() throws Exception {
        try (GatewayFixture f = gateway()) {
            String answer = f.raw(TRIP.replace("elsewhere.test", BundleLayout.PROBE_HOST));

            assertThat(answer).startsWith("HTTP/1.1 403").contains("(rule: tripwire)");
            assertThat(dir.resolve("audit").resolve(AlertMarker.FILE)).doesNotExist();
            assertThat(f.auditLines()).singleElement().asString().contains("\"decision\":\"deny\"")
                    .contains("the fence's probe");
        }
    }

    @Test
    void withStopOnAlertEveryOpenConnectionClosesAndEveryNewOneIsRefused() throws Exception {
        try (GatewayFixture f = gateway(); Socket idle = new Socket(f.address.getAddress(), f.address.getPort())) {
            f.audit.onFirstAlert(alert -> f.server.stopTraffic());
            // a connection open before the alert, idle: only the stop can end it before the read times out
            idle.setSoTimeout(10_000);

            assertThat(f.raw(TRIP)).startsWith("HTTP/1.1 403");

            InputStream in = idle.getInputStream();
            // closed, or (when the gateway took the connection in only after the stop) refused, then closed
            String seen = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(seen).as("the idle connection is closed").satisfiesAnyOf(
                    text -> assertThat(text).isEmpty(),
                    text -> assertThat(text).startsWith("HTTP/1.1 403").contains("stopped after an alert"));
            assertThat(f.raw("CONNECT api.test:443 HTTP/1.1\r\nHost: api.test:443\r\n\r\n"))
                    .startsWith("HTTP/1.1 403").contains("stopped after an alert")
                    .contains("X-Claude-Bottle-Reason: stopped");
            assertThat(Files.exists(dir.resolve("audit").resolve(AlertMarker.FILE))).isTrue();
        }
    }
}
