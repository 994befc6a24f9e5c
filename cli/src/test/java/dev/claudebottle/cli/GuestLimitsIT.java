package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real guest may take of the host: its cgroup shows the bottle's limits (the defaults, or
 * the manifest's), a flood of processes fails inside it at its pids limit, a flood of allocations
 * is killed inside it at its memory limit, and the bottle goes on serving its agent afterwards.
 * The cgroup is read as version 2 lays it out, or as version 1 does where the engine runs on that.
 */
@Tag("docker")
class GuestLimitsIT {
    /** Every limit the guest's cgroup shows, one per line, as cgroup v2 names them (v1's read the same way). */
    private static final String CGROUP = String.join("; ",
            "c=/sys/fs/cgroup",
            "if [ -f $c/cgroup.controllers ]; then echo PIDS=$(cat $c/pids.max); echo MEMORY=$(cat $c/memory.max)",
            "echo SWAP=$(cat $c/memory.swap.max); echo CPU=$(cat $c/cpu.max)",
            "else echo PIDS=$(cat $c/pids/pids.max); m=$(cat $c/memory/memory.limit_in_bytes); echo MEMORY=$m",
            "echo SWAP=$(( $(cat $c/memory/memory.memsw.limit_in_bytes) - m ))",
            "echo CPU=\"$(cat $c/cpu/cpu.cfs_quota_us) $(cat $c/cpu/cpu.cfs_period_us)\"; fi");
    /**
     * Starts short-lived processes until a start fails or 1000 run, then kills them and says how
     * many it started and why the next one failed. The processes end by themselves within 30
     * seconds whatever happens to this script, so the bottle recovers even if it dies.
     */
    private static final String FORK_FLOOD = String.join("",
            "const {spawn}=require('child_process');const kids=[];let failed=null;",
            "const end=()=>{for(const k of kids){try{k.kill('SIGKILL')}catch(e){}}",
            "console.log('STARTED='+kids.length+' FAILED='+failed);process.exit(0);};",
            "const next=()=>{if(kids.length>=1000){return end();}let c;",
            "try{c=spawn('sleep',['30'],{stdio:'ignore'});}catch(e){failed=e.code||String(e);return end();}",
            "c.once('error',e=>{failed=e.code||String(e);end();});",
            "c.once('spawn',()=>{kids.push(c);next();});};next();");
    /** Holds ever more memory outside the JavaScript heap, which no heap limit stops. */
    private static final String MEMORY_FLOOD = "const a=[];for(;;){a.push(Buffer.alloc(32<<20,1));}";

    @TempDir
    Path temp;
    private CliHarness cli;

    @BeforeEach
    void manifest() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Path work = Files.createDirectories(temp.resolve("work"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  plain: {}
                  tight:
                    limits: {memory: 512m, cpus: 1, pids: 128}
                agents:
                  roomy:
                    bottle: plain
                    command: [bash]
                  cramped:
                    bottle: tight
                    command: [bash]
                """);
        cli = new CliHarness(home, work);
    }

    @Test
    void aBottleWithoutLimitsGetsTheDocumentedDefaultsAndItsBundleItsOwnCap() throws Exception {
        String slug = start("roomy");
        try {
            var seen = cli.run("exec", slug, "--", "sh", "-c", CGROUP);
            assertThat(seen.exitCode()).as(seen.all()).isZero();
            int cores = Integer.parseInt(Docker.run("info", "--format", "{{.NCPU}}"));
            assertThat(values(seen.out())).containsEntry("PIDS", "2048")
                    .containsEntry("MEMORY", Long.toString(4L << 30))
                    .containsEntry("SWAP", "0")
                    .containsEntry("CPU", Math.max(1, cores - 1) * 100_000 + " 100000");

            String bundle = Docker.run("ps", "-aq", "--filter", "label=claude-bottle.slug=" + slug, "--filter",
                    "label=claude-bottle.role=bundle");
            assertThat(Docker.run("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} "
                    + "{{.HostConfig.PidsLimit}}", bundle)).isEqualTo((2L << 30) + " " + (2L << 30) + " 1024");
        } finally {
            assertThat(cli.run("stop", slug).exitCode()).isZero();
        }
    }

    @Test
    void aForkFloodFailsInsideTheGuestAtItsPidsLimitAndTheBottleGoesOn() throws Exception {
        String slug = start("cramped");
        try {
            var seen = cli.run("exec", slug, "--", "sh", "-c", CGROUP);
            assertThat(values(seen.out())).as("the manifest's limits, not the defaults").containsEntry("PIDS", "128")
                    .containsEntry("MEMORY", Long.toString(512L << 20)).containsEntry("SWAP", "0")
                    .containsEntry("CPU", "100000 100000");

            var flood = cli.run("exec", slug, "--", "node", "-e", FORK_FLOOD);
            assertThat(flood.exitCode()).as(flood.all()).isZero();
            Matcher m = Pattern.compile("STARTED=(\\d+) FAILED=(\\S+)").matcher(flood.out());
            assertThat(m.find()).as(flood.all()).isTrue();
            assertThat(m.group(2)).as("the next process could not be made").isEqualTo("EAGAIN");
            assertThat(Integer.parseInt(m.group(1))).as("it stopped at the limit, not at the script's 1000")
                    .isBetween(64, 127);

            // the flood's processes are gone: the bottle serves its agent and the bundle answers again
            Await.until(Duration.ofSeconds(60), "the guest to run a command again", () -> {
                var alive = cli.run("exec", slug, "--", "sh", "-c", "echo ALIVE $(cat /sys/fs/cgroup/pids.current "
                        + "2>/dev/null || cat /sys/fs/cgroup/pids/pids.current)");
                Matcher current = Pattern.compile("ALIVE (\\d+)").matcher(alive.out());
                return alive.exitCode() == 0 && current.find() && Integer.parseInt(current.group(1)) < 32;
            });
            var gateway = cli.run("exec", slug, "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://denied.test/");
            assertThat(gateway.out().strip()).as(gateway.all()).isEqualTo("403");
        } finally {
            assertThat(cli.run("stop", slug).exitCode()).isZero();
        }
    }

    @Test
    void anAllocationFloodIsKilledInsideTheGuestAtItsMemoryLimitAndTheBottleGoesOn() throws Exception {
        String slug = start("cramped");
        try {
            var flood = cli.run("exec", slug, "--", "node", "-e", MEMORY_FLOOD);
            assertThat(flood.exitCode()).as("killed by the guest's out-of-memory killer: " + flood.all())
                    .isEqualTo(137);
            var events = cli.run("exec", slug, "--", "sh", "-c", "grep -h '^oom_kill ' /sys/fs/cgroup/memory.events "
                    + "/sys/fs/cgroup/memory/memory.oom_control 2>/dev/null");
            assertThat(events.out().strip()).matches("oom_kill [1-9]\\d*");

            var alive = cli.run("exec", slug, "--", "echo", "ALIVE");
            assertThat(alive.exitCode()).as(alive.all()).isZero();
            assertThat(alive.out()).contains("ALIVE");
            var gateway = cli.run("exec", slug, "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://denied.test/");
            assertThat(gateway.out().strip()).as("the bundle was not what was killed").isEqualTo("403");
        } finally {
            assertThat(cli.run("stop", slug).exitCode()).isZero();
        }
    }

    private String start(String agent) {
        var started = cli.run("start", agent, "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        return started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    /** {@code NAME=value} lines as a map. */
    private static Map<String, String> values(String out) {
        return out.lines().filter(l -> l.contains("=")).collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                l -> l.substring(l.indexOf('=') + 1).strip(), (a, b) -> b));
    }
}
