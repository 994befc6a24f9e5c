package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.claudebottle.backend.smolmachines.standin.StandInSmolvm;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smolmachines backend end to end through the stand-in smolvm: the agent image is packed
 * through a local registry, the bundle runs on Docker with its port on the bottle's loopback
 * address, and the guest (a container with only {@code lo}, relayed to allowed host addresses
 * like smolvm's TSI) is provisioned and runs the command.
 */
@Tag("docker")
class SmolmachinesIT {
    private static final String SCRIPT = String.join("\n",
            "echo USER=$(id -un)",
            "echo PROXY=$HTTPS_PROXY",
            "test -f /usr/local/share/ca-certificates/claude-bottle.crt && echo CA=installed",
            "echo PROMPT=$(cat ~/.claude/CLAUDE.md)",
            "echo SKILL=$(cat ~/.claude/skills/review/SKILL.md)",
            "echo OWNER=$(stat -c %U ~/.claude/CLAUDE.md ~/.claude/skills/review/SKILL.md | sort -u)",
            "echo GATEWAY=$(curl -s -m 10 -o /dev/null -w '%{http_code}' http://blocked.test/)",
            "curl -s -m 5 --noproxy '*' http://127.0.0.1:$HOST_PORT/ >/dev/null && echo HOST=reached || echo HOST=refused",
            "getent hosts blocked.test >/dev/null && echo DNS=yes || echo DNS=no",
            "echo MEMORY=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)");

    @TempDir
    Path temp;
    private HttpServer hostService;
    private Path standInHome;

    @BeforeEach
    void hostLoopbackServiceOutsideTheBundle() throws Exception {
        hostService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostService.createContext("/", exchange -> {
            byte[] body = "a host service the guest must not reach".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hostService.start();
    }

    @AfterEach
    void stopHostService() {
        hostService.stop(0);
    }

    private CliHarness cli(String version) throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Path work = Files.createDirectories(temp.resolve("work"));
        Files.createDirectories(work.resolve("skills/review"));
        Files.writeString(work.resolve("skills/review/SKILL.md"), "review-skill");
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  vm:
                    env: {HOST_PORT: "%d"}
                agents:
                  probe:
                    bottle: vm
                    prompt: "bottled-prompt"
                    skills: [skills/review]
                    command: [bash]
                """.formatted(hostService.getAddress().getPort()));
        Path bin = temp.resolve("bin");
        String classpath = Path.of(StandInSmolvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        StandInSmolvm.install(bin, classpath);
        standInHome = temp.resolve("standin");
        return new CliHarness(home, work)
                .env("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"))
                .env("SMOLVM_STANDIN_HOME", standInHome.toString())
                .env("SMOLVM_STANDIN_VERSION", version)
                .env("CLAUDE_BOTTLE_BACKEND", "smolmachines");
    }

    @Test
    @org.junit.jupiter.api.Timeout(600)
    void runProvisionsTheMachineReachesOnlyTheGatewayAndLeavesNothing() throws Exception {
        CliHarness cli = cli("1.8.0");
        byte[] input = new byte[256 * 1024];
        new java.util.Random(11).nextBytes(input);
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(input));
        // sha256sum answers only once its input ended: a command that never saw the end would hang
        var run = cli.runWithInput(new java.io.ByteArrayInputStream(input), "run", "probe", "--", "bash", "-c",
                "echo INPUT=$(sha256sum | cut -d' ' -f1)\n" + SCRIPT);
        assertThat(run.exitCode()).as(run.all()).isZero();
        String out = run.out();
        assertThat(out).contains("INPUT=" + digest, "USER=node", "CA=installed", "PROMPT=bottled-prompt",
                "SKILL=review-skill", "OWNER=node", "DNS=no");
        Matcher proxy = Pattern.compile("PROXY=http://(127\\.\\d+\\.\\d+\\.\\d+):(\\d+)").matcher(out);
        assertThat(proxy.find()).as(out).isTrue();
        String loopback = proxy.group(1);
        assertThat(loopback).isNotEqualTo("127.0.0.1");
        // the gateway answered: it refuses a host the manifest does not allow
        assertThat(out).contains("GATEWAY=403");
        // a service on the host's 127.0.0.1, outside the bundle, is out of the guest's reach
        assertThat(out).contains("HOST=refused");
        // the same fence proven before the command ran: the gateway's probes and the machine's own
        assertThat(run.err()).containsPattern("isolation verified: \\d+ probes in \\d+ ms");
        assertThat(run.err()).contains("the machine connects to no host address but its bundle's")
                .contains("the machine resolves no name").contains("gets the gateway's 403");

        List<List<String>> calls = calls();
        String slug = run.err().lines().filter(l -> l.contains("is running")).findFirst().map(l -> l.replaceAll(
                ".*bottle (\\S+) is running.*", "$1")).orElseThrow();
        String machine = "claude-bottle-" + slug;
        assertThat(calls).anySatisfy(c -> assertThat(c).containsSubsequence("machine", "create", "--name", machine,
                "--allow-cidr", loopback + "/32", "--cpus", Integer.toString(Math.max(1,
                        Runtime.getRuntime().availableProcessors() - 1)), "--mem", "4096"));
        // the stand-in gives its container the machine's size: the bottle's default 4g
        assertThat(out).contains("MEMORY=" + (4L << 30));
        assertThat(calls).anySatisfy(c -> assertThat(c).startsWith("pack", "create", "-I"));
        List<List<String>> execs = calls.stream().filter(c -> c.size() > 1 && c.get(1).equals("exec")).toList();
        assertThat(execs).hasSizeGreaterThanOrEqualTo(4);
        // the command's input is forwarded (-i) without a terminal; provisioning streams without input
        assertThat(execs.get(execs.size() - 1)).contains("-i").doesNotContain("-t", "--stream");
        assertThat(execs.get(0)).contains("--stream").doesNotContain("-i");
        for (List<String> exec : execs) {
            assertThat(envKeys(exec)).as(String.join(" ", exec)).contains("HOME", "HTTPS_PROXY", "NO_PROXY",
                    "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "HOST_PORT");
            assertThat(String.join(" ", exec)).doesNotContain("http://" + loopback);
        }
        // every call succeeds, but the probe whose CONNECT the gateway must refuse (curl exits 56 on a 403)
        assertThat(calls).filteredOn(c -> !c.contains("https://probe.claude-bottle.invalid/"))
                .allSatisfy(c -> assertThat(c.get(c.size() - 1)).as(String.join(" ", c)).isIn("=> 0", "=> 1"));
        assertThat(calls).filteredOn(c -> c.contains("https://probe.claude-bottle.invalid/")).singleElement()
                .satisfies(c -> assertThat(c.get(c.size() - 1)).isEqualTo("=> 56"));

        assertThat(Docker.containers("claude-bottle.slug=" + slug)).isEmpty();
        assertThat(Docker.containers("smolvm-standin.machine=" + machine)).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug=" + slug)).isEmpty();
        var machines = new ProcessBuilder(temp.resolve("bin/smolvm").toString(), "machine", "ls", "--json");
        machines.environment().put("SMOLVM_STANDIN_HOME", standInHome.toString());
        Process ls = machines.start();
        assertThat(new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("[]");
    }

    @Test
    void aVersionThatDropsTheAllowlistOfPacksIsRefusedBeforeAnythingStarts() throws Exception {
        CliHarness cli = cli("1.7.2");
        var run = cli.run("run", "probe", "--", "true");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
        assertThat(run.err()).contains("smolvm 1.7.2 ignores --allow-cidr").contains("--insecure-egress");
        assertThat(calls()).allSatisfy(c -> assertThat(c.get(0)).isEqualTo("--version"));

        var doctor = cli.run("doctor", "--backend", "smolmachines");
        assertThat(doctor.out()).contains("smolvm").contains("1.7.2").contains("ignores the egress allowlist")
                .contains("/dev/kvm").contains("docker engine (for the bundle)");
    }

    @Test
    void doctorNamesTheSmolvmVersionAndTheDockerEngine() throws Exception {
        var doctor = cli("1.8.0").run("doctor", "--backend", "smolmachines", "--json");
        assertThat(doctor.out()).contains("\"smolvm\"").contains("1.8.0").contains("docker engine (for the bundle)");
        assertThat(doctor.out()).doesNotContain("ignores the egress allowlist");
    }

    private List<List<String>> calls() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        Path log = standInHome.resolve("calls.log");
        if (!Files.exists(log)) {
            return calls;
        }
        for (String line : Files.readAllLines(log)) {
            calls.add(List.of(line.split("\t")));
        }
        return calls;
    }

    private static List<String> envKeys(List<String> exec) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < exec.size() - 1 && !exec.get(i).equals("--"); i++) {
            if (exec.get(i).equals("-e")) {
                keys.add(exec.get(i + 1));
            }
        }
        return keys;
    }
}
