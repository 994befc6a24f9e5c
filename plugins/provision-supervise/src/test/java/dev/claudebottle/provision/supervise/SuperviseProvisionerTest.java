package dev.claudebottle.provision.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Location;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuperviseProvisionerTest {
    private static final Location HERE = new Location("bottle.yaml", 3, 5);
    @TempDir
    Path state;
    private final List<String> warnings = new ArrayList<>();
    private final EventSink events = new EventSink() {
        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void emit(Event event) {
        }
    };

    private LaunchSpec spec(Optional<SuperviseDef> supervise) {
        Map<String, Object> sections = supervise.<Map<String, Object>>map(s -> Map.of(SuperviseSection.KEY, s))
                .orElse(Map.of());
        return new LaunchSpec("a-1234", new AgentDef("a", "b", Optional.empty(), Optional.empty(), List.of(),
                AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("b", Map.of(), EgressDef.DENY_ALL, sections, HERE), state, state,
                Optional.empty(), "docker", "/home/node", false, List.of());
    }

    private Contribution contribute(Duration timeout) {
        return new SuperviseProvisioner(events).contribute(spec(Optional.of(new SuperviseDef(timeout))));
    }

    private static Step step(Contribution c, String id) {
        return c.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aBottleWithoutSuperviseGetsNothing() {
        Contribution c = new SuperviseProvisioner(events).contribute(spec(Optional.empty()));

        assertThat(c).as("the approval queue the gateway and the git gate ask through is the bundle base's")
                .isEqualTo(Contribution.none());
    }

    @Test
    void enablesTheDaemonWithItsQueueAndTimeoutAndTellsTheGuestWhereItIs() {
        Contribution c = contribute(Duration.ofSeconds(90));

        assertThat(c.daemons()).containsExactly(new BundleDaemon("supervise", BundleLayout.SUPERVISE_PORT));
        assertThat(c.ports()).containsExactly(new GuestPort("supervise", BundleLayout.SUPERVISE_PORT));
        assertThat(c.bundleMounts()).as("the queue is the bundle base's").isEmpty();
        Map<String, String> bundleEnv = c.bundleEnv().stream()
                .collect(Collectors.toMap(BundleEnv::name, e -> e.value().orElseThrow()));
        assertThat(BundleVariables.SUPERVISE_TIMEOUT.read(bundleEnv)).isEqualTo(Duration.ofSeconds(90));
        assertThat(BundleVariables.SUPERVISE_PORT.read(bundleEnv)).isEqualTo(BundleLayout.SUPERVISE_PORT);
        Map<String, String> guestEnv = c.guestEnv().stream()
                .collect(Collectors.toMap(GuestEnv::name, GuestEnv::template));
        assertThat(guestEnv).containsEntry("MCP_SUPERVISE_URL", "http://{endpoint:supervise}/mcp")
                .containsEntry("MCP_TOOL_TIMEOUT", "150000");
    }

    @Test
    void registersTheServerWithClaudeCodeAtTheResolvedAddressAsTheAgent() throws Exception {
        RecordingGuest guest = new RecordingGuest(new ExecResult(0, "", ""));
        Step register = step(contribute(Duration.ofMinutes(5)), "supervise.register");

        register.action().run(context(guest));

        assertThat(register.after()).containsExactly(Step.HOME);
        assertThat(guest.users).containsExactly(Guest.AGENT_USER);
        assertThat(guest.commands).containsExactly(List.of("claude", "mcp", "add", "--scope", "user", "--transport",
                "http", "supervise", "http://claude-bottle-bundle:9100/mcp"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailedRegistrationIsAWarningThatSaysWhereTheServerIs() throws Exception {
        RecordingGuest guest = new RecordingGuest(new ExecResult(127, "", "claude: not found\n"));

        step(contribute(Duration.ofMinutes(5)), "supervise.register").action().run(context(guest));

        assertThat(warnings).singleElement().asString().contains("exit 127").contains("claude: not found")
                .contains("http://claude-bottle-bundle:9100/mcp");
    }

    private StepContext context(Guest guest) {
        return new StepContext() {
            @Override
            public LaunchSpec spec() {
                return SuperviseProvisionerTest.this.spec(Optional.of(new SuperviseDef(Duration.ofMinutes(5))));
            }

            @Override
            public Guest guest() {
                return guest;
            }

            @Override
            public Endpoint endpoint(String portName) {
                return new Endpoint("claude-bottle-bundle", 9100);
            }

            @Override
            public Map<String, String> guestEnv() {
                return Map.of("MCP_SUPERVISE_URL", "http://claude-bottle-bundle:9100/mcp");
            }

            @Override
            public EventSink events() {
                return events;
            }

            @Override
            public <T> void produce(ResultKey<T> key, T value) {
                throw new UnsupportedOperationException("not used by these steps");
            }

            @Override
            public <T> T result(ResultKey<T> key) {
                throw new UnsupportedOperationException("not used by these steps");
            }
        };
    }

    /** A guest that records what it is asked to run and answers each with one result. */
    private static final class RecordingGuest implements Guest {
        final List<String> users = new ArrayList<>();
        final List<List<String>> commands = new ArrayList<>();
        private final ExecResult result;

        RecordingGuest(ExecResult result) {
            this.result = result;
        }

        @Override
        public ExecResult exec(String user, List<String> argv, Map<String, String> env) {
            users.add(user);
            commands.add(argv);
            return result;
        }

        @Override
        public void copy(Path file, String path, String owner, int mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(byte[] content, String path, String owner, int mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void copyTree(Path directory, String path, String owner) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int execStreaming(String user, List<String> argv, Map<String, String> env, OutputStream out,
                                 OutputStream err) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int execInteractive(String user, List<String> argv, InputStream in, OutputStream out, int columns,
                                   int rows) {
            throw new UnsupportedOperationException();
        }
    }
}
