package dev.claudebottle.backend.smolmachines;

import static dev.claudebottle.backend.smolmachines.SmolvmCommands.Io.STREAMED;
import static dev.claudebottle.backend.smolmachines.SmolvmCommands.Io.TERMINAL;
import static dev.claudebottle.backend.smolmachines.SmolvmCommands.Io.WITH_INPUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.backend.smolmachines.standin.SmolvmGrammar;
import dev.claudebottle.spi.manifest.GuestLimits;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmolvmCommandsTest {
    private static final Path PACK = Path.of("/cache/abc/agent.smolmachine");
    private static final MachineSize SIZE = new MachineSize(3, 4096);

    private static SmolvmCommands commands(int major, int minor, int patch) {
        return new SmolvmCommands("smolvm", new SmolvmVersion(major, minor, patch));
    }

    /** The argv without the executable parses under the stand-in's grammar of the same version. */
    private static void parsesUnder(SmolvmCall call, int major, int minor, int patch) {
        new SmolvmGrammar(new int[] {major, minor, patch}).parse(call.argv().subList(1, call.argv().size()));
    }

    @Test
    void createNamesTheMachinePositionallyBefore102() {
        SmolvmCall call = commands(0, 8, 2).create("claude-bottle-a-1", PACK, List.of("127.9.8.7/32"),
                SIZE);
        assertThat(call.argv()).containsExactly("smolvm", "machine", "create", "claude-bottle-a-1", "--from",
                PACK.toString(), "--allow-cidr", "127.9.8.7/32", "--cpus", "3", "--mem", "4096");
        parsesUnder(call, 0, 8, 2);
    }

    @Test
    void createAndDeleteUseNameFrom102() {
        SmolvmCommands v = commands(1, 8, 0);
        assertThat(v.create("m", PACK, List.of("127.9.8.7/32"), SIZE).argv()).containsExactly("smolvm", "machine",
                "create", "--name", "m", "--from", PACK.toString(), "--allow-cidr", "127.9.8.7/32", "--cpus", "3",
                "--mem", "4096");
        assertThat(v.delete("m").argv()).containsExactly("smolvm", "machine", "delete", "--name", "m", "-f");
        assertThat(commands(0, 8, 2).delete("m").argv()).containsExactly("smolvm", "machine", "delete", "m", "-f");
        parsesUnder(v.create("m", PACK, List.of("127.9.8.7/32"), SIZE), 1, 8, 0);
        parsesUnder(v.delete("m"), 1, 8, 0);
        parsesUnder(commands(0, 8, 2).delete("m"), 0, 8, 2);
    }

    @Test
    void theMachineIsSizedByTheBottlesLimitsInWholeCoresAndMiB() {
        assertThat(MachineSize.of(GuestLimits.DEFAULT, 4)).isEqualTo(new MachineSize(3, 4096));
        assertThat(MachineSize.of(GuestLimits.DEFAULT, 1)).isEqualTo(new MachineSize(1, 4096));
        assertThat(MachineSize.of(new GuestLimits((1L << 30) + 1024, 64, Optional.of(new BigDecimal("1.5"))), 8))
                .as("a share of a core and a part of a MiB are rounded up").isEqualTo(new MachineSize(2, 1025));
        assertThat(MachineSize.of(new GuestLimits(1L << 30, 64, Optional.of(new BigDecimal("0.25"))), 8).cpus())
                .isEqualTo(1);
        assertThat(MachineSize.of(new GuestLimits(1L << 30, 64, Optional.of(new BigDecimal(12))), 8).cpus())
                .as("no more than the host's").isEqualTo(8);
        assertThat(MachineSize.of(new GuestLimits(1L << 30, 64, Optional.of(new BigDecimal(1000))), 1000).cpus())
                .as("smolvm counts vCPUs in a byte").isEqualTo(255);
        assertThat(MachineSize.of(new GuestLimits(1L << 60, 64, Optional.empty()), 8).memoryMib())
                .as("smolvm counts MiB in 32 bits").isEqualTo(4_294_967_295L);
        for (MachineSize size : List.of(MachineSize.of(GuestLimits.DEFAULT, 1),
                MachineSize.of(new GuestLimits(1L << 60, 64, Optional.of(new BigDecimal(1000))), 1000))) {
            parsesUnder(commands(1, 8, 0).create("m", PACK, List.of("127.9.8.7/32"), size), 1, 8, 0);
        }
    }

    @Test
    void execAlwaysNamesTheMachineWithNameAndForwardsEnvByKey() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HTTPS_PROXY", "http://127.9.8.7:32001");
        env.put("ANTHROPIC_API_KEY", "bottle-placeholder");
        for (int[] v : new int[][] {{0, 8, 1}, {0, 8, 2}, {1, 0, 2}, {1, 8, 0}}) {
            SmolvmCall call = commands(v[0], v[1], v[2]).exec("m", env, Optional.of("/home/node"), STREAMED,
                    List.of("runuser", "-u", "node", "--", "id"));
            assertThat(call.argv()).containsExactly("smolvm", "machine", "exec", "--name", "m", "-w", "/home/node",
                    "--stream", "-e", "HTTPS_PROXY", "-e", "ANTHROPIC_API_KEY", "--", "runuser", "-u", "node", "--",
                    "id");
            assertThat(String.join(" ", call.argv())).doesNotContain("bottle-placeholder").doesNotContain("32001");
            assertThat(call.env()).isEqualTo(env);
            parsesUnder(call, v[0], v[1], v[2]);
        }
    }

    @Test
    void execOn080PassesValuesBecauseKeyForwardingDoesNotExistYet() {
        SmolvmCall call = commands(0, 8, 0).exec("m", Map.of("HOME", "/home/node"), Optional.empty(), STREAMED,
                List.of("id"));
        assertThat(call.argv()).containsExactly("smolvm", "machine", "exec", "--name", "m", "--stream", "-e",
                "HOME=/home/node", "--", "id");
        assertThat(call.env()).isEmpty();
        parsesUnder(call, 0, 8, 0);
    }

    @Test
    void terminalExecAsksForATerminalInsteadOfStreaming() {
        SmolvmCall call = commands(1, 8, 0).exec("m", Map.of(), Optional.empty(), TERMINAL, List.of("bash"));
        assertThat(call.argv()).containsExactly("smolvm", "machine", "exec", "--name", "m", "-i", "-t", "--", "bash");
        parsesUnder(call, 1, 8, 0);
    }

    @Test
    void execWithInputKeepsInputOpenWithoutATerminal() {
        for (int[] v : new int[][] {{0, 8, 0}, {1, 8, 0}}) {
            SmolvmCall call = commands(v[0], v[1], v[2]).exec("m", Map.of(), Optional.empty(), WITH_INPUT,
                    List.of("wc", "-l"));
            assertThat(call.argv()).containsExactly("smolvm", "machine", "exec", "--name", "m", "-i", "--", "wc",
                    "-l");
            parsesUnder(call, v[0], v[1], v[2]);
        }
    }

    @Test
    void startStopListCopyAndPackUseTheSameFormOnEveryVersion() {
        for (int[] v : new int[][] {{0, 8, 0}, {1, 8, 0}}) {
            SmolvmCommands c = commands(v[0], v[1], v[2]);
            assertThat(c.start("m").argv()).containsExactly("smolvm", "machine", "start", "--name", "m");
            assertThat(c.stop("m").argv()).containsExactly("smolvm", "machine", "stop", "--name", "m");
            assertThat(c.list().argv()).containsExactly("smolvm", "machine", "ls", "--json");
            assertThat(c.copy(Path.of("/tmp/x.tar"), "m", "/tmp/y.tar").argv()).containsExactly("smolvm", "machine",
                    "cp", "/tmp/x.tar", "m:/tmp/y.tar");
            assertThat(c.packCreate("localhost:5000/claude-bottle/agent:abc", Path.of("/c/agent")).argv())
                    .containsExactly("smolvm", "pack", "create", "-I", "localhost:5000/claude-bottle/agent:abc",
                            "-o", "/c/agent");
            for (SmolvmCall call : List.of(c.start("m"), c.stop("m"), c.list(), c.copy(Path.of("/tmp/x.tar"), "m",
                    "/tmp/y.tar"), c.packCreate("localhost:5000/a:1", Path.of("/c/agent")))) {
                parsesUnder(call, v[0], v[1], v[2]);
            }
        }
    }

    @Test
    void callsPrintTheirArgvButNeverForwardedValues() {
        SmolvmCall call = commands(1, 8, 0).exec("m", Map.of("TOKEN", "s3cret"), Optional.empty(), STREAMED,
                List.of("id"));
        assertThat(call.toString()).doesNotContain("s3cret").contains("-e TOKEN");
    }

    @Test
    void loopbackIsPerBottleOnLinuxAndWarnsElsewhere() {
        Loopback linux = Loopback.forBottle("coder-3f2a", "Linux");
        assertThat(linux.address()).isEqualTo(Loopback.derive("coder-3f2a")).isNotEqualTo("127.0.0.1");
        assertThat(linux.warning()).isEmpty();
        Loopback mac = Loopback.forBottle("coder-3f2a", "Mac OS X");
        assertThat(mac.address()).isEqualTo("127.0.0.1");
        assertThat(mac.warning()).hasValueSatisfying(w -> assertThat(w).contains("every service listening"));
    }
}
