package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The bundle's container: its env and bound values, and the wait for its daemons against logs handed over line by line. */
class BundleContainerTest {
    private static final Location HERE = new Location("bottle.yaml", 1, 1);
    private final BundleContainer bundle = new BundleContainer(request(), "bundle:test");

    @Test
    void readyOnceEveryDaemonSaidItListensAndNoLineLater() throws Exception {
        LogEngine engine = new LogEngine(List.of(
                "2026-11-22T10:00:00Z git-gate: listening on /0.0.0.0:9418 for bottle demo-0001 (1 repo(s))",
                "2026-11-22T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle demo-0001",
                "2026-11-22T10:00:01Z gateway: an audit line nobody waits for"));

        assertThatCode(() -> bundle.awaitReady(engine, "bundle-id")).doesNotThrowAnyException();
        assertThat(engine.handedOver).as("the wait stops following at the last daemon's line").hasSize(2);
    }

    @Test
    void aFailureTheBundleReportsEndsTheWaitWithItsLastLines() {
        LogEngine engine = new LogEngine(List.of(
                "2026-11-22T10:00:00Z git-gate: listening on /0.0.0.0:9418 for bottle demo-0001 (1 repo(s))",
                "claude-bottle bundle: CLAUDE_BOTTLE_GATEWAY_POLICY is not set",
                "2026-11-22T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle demo-0001"));

        assertThatThrownBy(() -> bundle.awaitReady(engine, "bundle-id")).isInstanceOf(BottleException.class)
                .hasMessageContaining("the bundle for bottle demo-0001 did not become ready")
                .hasMessageContaining("CLAUDE_BOTTLE_GATEWAY_POLICY is not set");
        assertThat(engine.handedOver).hasSize(2);
    }

    @Test
    void aLogThatEndsBeforeEveryDaemonListensFailsTheWait() {
        LogEngine engine = new LogEngine(List.of(
                "2026-11-22T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle demo-0001"));

        assertThatThrownBy(() -> bundle.awaitReady(engine, "bundle-id")).isInstanceOf(BottleException.class)
                .hasMessageContaining("did not become ready").hasMessageContaining("gateway: listening");
    }

    @Test
    void secretEntriesStayOutOfTheContainersEnvAndArePutIntoItsFilesBeforeItStarts() throws Exception {
        String value = "sk-ant-api03-REAL-VALUE-0123456789";
        LaunchRequest withSecret = new LaunchRequest(request().spec(), request().daemons(), List.of(), List.of(
                BundleEnv.plain("CLAUDE_BOTTLE_SLUG", "demo-0001"), BundleEnv.secret("CLAUDE_BOTTLE_ROUTE_0",
                        Secret.of(value))), List.of(), List.of());
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        RefusingEngine engine = new RefusingEngine() {
            @Override
            public String createContainer(ContainerSpec spec) {
                calls.add("create " + spec.env());
                return "bundle-id";
            }

            @Override
            public void copy(String containerId, InputStream tar) {
                calls.add("copy into " + containerId);
                try {
                    tar.transferTo(copied);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        BundleContainer container = new BundleContainer(withSecret, "bundle:test");

        ContainerSpec spec = container.spec("b", "n", List.of());
        container.create(engine, spec);

        assertThat(spec.env()).contains("CLAUDE_BOTTLE_SLUG=demo-0001").noneMatch(e -> e.contains(value))
                .noneMatch(e -> e.startsWith("CLAUDE_BOTTLE_ROUTE_0"));
        assertThat(calls).containsExactly("create [CLAUDE_BOTTLE_SLUG=demo-0001]", "copy into bundle-id");
        assertThat(container.bound().toString()).doesNotContain(value);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(copied.toByteArray()))) {
            TarArchiveEntry entry;
            TarArchiveEntry file = null;
            byte[] content = null;
            while ((entry = tar.getNextTarEntry()) != null) {
                if (entry.isFile()) {
                    file = entry;
                    content = tar.readAllBytes();
                }
            }
            assertThat(file).isNotNull();
            assertThat("/" + file.getName()).isEqualTo(BundleLayout.BOUND_VALUES);
            assertThat(file.getMode() & 0777).as("readable by the bundle's root only").isEqualTo(0400);
            assertThat(file.getLongUserId()).isZero();
            assertThat(BoundValues.fromJson(new ObjectMapper().readValue(content, Object.class)).values())
                    .containsExactly(Map.entry("CLAUDE_BOTTLE_ROUTE_0", Secret.of(value)));
        }
    }

    @Test
    void aBundleThatCannotBeGivenItsValuesIsRemovedAgain() {
        List<String> removed = new ArrayList<>();
        RefusingEngine engine = new RefusingEngine() {
            @Override
            public String createContainer(ContainerSpec spec) {
                return "bundle-id";
            }

            @Override
            public void remove(String containerId) {
                removed.add(containerId);
            }
        };

        assertThatThrownBy(() -> bundle.create(engine, bundle.spec("b", "n", List.of())))
                .isInstanceOf(RuntimeException.class);
        assertThat(removed).containsExactly("bundle-id");
    }

    @Test
    void givenLateTheBundleIsWaitedForUntilItsGatewaySaysItLoadedTheseValuesAndNoEarlierOrForgedLine() {
        List<BundleEnv> entries = List.of(BundleEnv.secret("CLAUDE_BOTTLE_ROUTE_0", Secret.of("sk-late-0123")));
        String[] generation = new String[1];
        List<String> seen = new ArrayList<>();
        RefusingEngine engine = new RefusingEngine() {
            @Override
            public void copy(String containerId, InputStream tar) {
                try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
                    while (in.getNextTarEntry() != null) {
                        byte[] content = in.readAllBytes();
                        if (content.length > 0) {
                            generation[0] = BoundValues.fromJson(new ObjectMapper().readValue(content, Object.class))
                                    .generation();
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                seen.add("copy");
            }

            @Override
            public void signal(String containerId, String signal) {
                seen.add("signal " + signal);
            }

            @Override
            public boolean followLogs(String containerId, Duration timeout, Predicate<String> done) {
                String ok = "2026-12-07T10:00:02Z gateway: policy loaded: 0 allow rule(s), 1 route(s), every route "
                        + "bound (values " + generation[0] + ")";
                for (String line : List.of(
                        "2026-12-07T10:00:00Z gateway: policy loaded: 0 allow rule(s), 1 route(s), every route bound",
                        "2026-12-07T10:00:01Z gateway: policy loaded: 0 allow rule(s), 1 route(s), every route bound "
                                + "(values 00112233445566778899aabbccddeeff)",
                        "2026-12-07T10:00:01Z git-gate: error: x gateway: policy loaded: every route bound (values "
                                + generation[0] + ")",
                        ok + " and more", ok)) {
                    seen.add(line);
                    if (done.test(line)) {
                        return true;
                    }
                }
                return false;
            }
        };

        assertThatCode(() -> BundleContainer.rebind(engine, "bundle-id", entries)).doesNotThrowAnyException();

        assertThat(seen).startsWith("copy", "signal HUP").hasSize(7).last().asString()
                .endsWith("(values " + generation[0] + ")");
    }

    @Test
    void aGatewayThatSaysItCouldNotLoadTheValuesEndsTheWaitAtOnce() {
        LogEngine engine = new LogEngine(List.of("2026-12-07T10:00:01Z gateway: error: policy "
                + "/etc/claude-bottle/gateway/policy.json not loaded, keeping the one in force: the bundle's "
                + "bound values /run/claude-bottle/bound-values.json are not a file of values", "a line after it"));

        assertThatThrownBy(() -> BundleContainer.rebind(engine, "bundle-id", List.of(BundleEnv.secret(
                "CLAUDE_BOTTLE_ROUTE_0", Secret.of("sk-late-0123"))))).isInstanceOf(BottleException.class)
                .hasMessageContaining("did not take the values").hasMessageContaining("not a file of values")
                .hasMessageNotContaining("sk-late-0123");
        assertThat(engine.handedOver).hasSize(1);
    }

    @Test
    void aColdLaunchWhoseGatewayDidNotBindItsValuesFails() {
        LaunchRequest withSecret = new LaunchRequest(request().spec(), List.of(new BundleDaemon("gateway", 8888)),
                List.of(), List.of(BundleEnv.secret("CLAUDE_BOTTLE_ROUTE_0", Secret.of("sk-cold-0123"))), List.of(),
                List.of());
        LogEngine engine = new LogEngine(List.of(
                "2026-11-22T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle demo-0001",
                "2026-11-22T10:00:00Z gateway: policy loaded: 0 allow rule(s), 1 route(s), 1 without its value, "
                        + "refused until bound"));

        assertThatThrownBy(() -> new BundleContainer(withSecret, "bundle:test").awaitReady(engine, "bundle-id"))
                .isInstanceOf(BottleException.class).hasMessageContaining("did not become ready")
                .hasMessageContaining("without its value");
    }

    private static LaunchRequest request() {
        LaunchSpec spec = new LaunchSpec("demo-0001", new AgentDef("demo", "demo", Optional.empty(), Optional.empty(),
                List.of(), AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("demo", Map.of(), EgressDef.DENY_ALL,
                Map.of(), HERE), Path.of("/manifests"), Path.of("/home/a/.claude-bottle/bottles/demo-0001"), Optional.empty(), "docker",
                "/home/node", false, List.of());
        return new LaunchRequest(spec, List.of(new BundleDaemon("gateway", 8888), new BundleDaemon("git-gate", 9418)),
                List.of(), List.of(), List.of(), List.of());
    }

    /**
     * A container whose whole log is {@code lines}; following it ends after the last one. It takes
     * the values and signals it is given without a word.
     */
    private static final class LogEngine extends RefusingEngine {
        final List<String> lines;
        final List<String> handedOver = new ArrayList<>();

        LogEngine(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public boolean followLogs(String containerId, Duration timeout, Predicate<String> done) {
            for (String line : lines) {
                handedOver.add(line);
                if (done.test(line)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public List<String> logs(String containerId, int tail) {
            return lines.subList(Math.max(0, lines.size() - tail), lines.size());
        }

        @Override
        public void copy(String containerId, InputStream tar) {
        }

        @Override
        public void signal(String containerId, String signal) {
        }
    }
}
