package dev.claudebottle.provision.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.Placeholder;
import dev.claudebottle.spi.manifest.RouteDef;
import dev.claudebottle.spi.testing.LocalGuest;
import dev.claudebottle.spi.testing.ScriptedGuest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search for real values reads every process whole or misses, and never hands the value to
 * the guest. The script runs here for real against a process table and a home laid out as a guest's.
 */
class GuestValueScanTest {
    private static final String KEY = "sk-ant-api03-real-value-never-in-the-guest";
    private static final List<CredentialRoute> ROUTES = List.of(new CredentialRoute(new RouteDef(
            new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of(), "x-api-key", "${KEY}",
            Optional.of(new Placeholder("ANTHROPIC_API_KEY", "bottle-placeholder")), true, false, false,
            new Location("bottle.yaml", 1, 1)), Secret.of(KEY), "CLAUDE_BOTTLE_ROUTE_0"));
    private static final String TOKEN = "sk-ant-oat01-real-token-never-in-the-guest";
    private static final List<CredentialRoute> BEARER = List.of(new CredentialRoute(new RouteDef(
            new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of(), "authorization",
            "Bearer ${CLAUDE_CODE_OAUTH_TOKEN}",
            Optional.of(new Placeholder("CLAUDE_CODE_OAUTH_TOKEN", "bottle-placeholder")), true, false, false,
            new Location("bottle.yaml", 1, 1)), Secret.of("Bearer " + TOKEN), "CLAUDE_BOTTLE_ROUTE_0"));
    @TempDir
    Path root;
    Path proc;
    Path home;

    @BeforeEach
    void guest() throws Exception {
        proc = Files.createDirectories(root.resolve("proc"));
        home = Files.createDirectories(root.resolve("home/node"));
        process("1", "PATH=/usr/bin\0HOME=/root\0", "sleep\0infinity\0");
        process("23", "ANTHROPIC_API_KEY=bottle-placeholder\0HOME=/home/node\0", "claude\0");
        Files.writeString(home.resolve("notes.txt"), "nothing to see\n");
    }

    private void process(String pid, String environ, String cmdline) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(pid));
        Files.writeString(dir.resolve("environ"), environ);
        Files.writeString(dir.resolve("cmdline"), cmdline);
    }

    private Probe.Result scan(Guest guest) throws Exception {
        return new GuestValueScan(proc.toString(), List.of(home.toString())).run(guest, ROUTES);
    }

    @Test
    void aGuestWithPlaceholdersOnlyHoldsCountingEveryProcess() throws Exception {
        Probe.Result result = scan(new LocalGuest(Map.of(), home));

        assertThat(result.held()).as(result.saw()).isTrue();
        assertThat(result.saw()).isEqualTo("none of 1 route values in the env or command line of the 2 guest processes "
                + "or in its files");
    }

    @Test
    void aRealValueInAnAgentProcesssEnvironmentIsAMissThatDoesNotShowIt() throws Exception {
        process("4242", "HOME=/home/node\0SECRET=" + KEY + "\0", "sleep\0" + "600\0");
        LocalGuest guest = new LocalGuest(Map.of(), home);

        Probe.Result result = scan(guest);

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).isEqualTo("the real value of route api.anthropic.com (x-api-key) at bottle.yaml:1:1 "
                + "is in the environment or "
                + "command line of a guest process").doesNotContain(KEY);
        assertThat(guest.execs).singleElement().satisfies(e -> {
            assertThat(e.user()).isEqualTo(Guest.ROOT);
            assertThat(e.argv()).noneMatch(a -> a.contains(KEY));
        });
    }

    @Test
    void aRealValueOnACommandLineOrInAFileIsAMiss() throws Exception {
        process("4243", "HOME=/home/node\0", "curl\0-H\0x-api-key: " + KEY + "\0");
        assertThat(scan(new LocalGuest(Map.of(), home)).held()).isFalse();

        Files.delete(proc.resolve("4243/cmdline"));
        Files.writeString(proc.resolve("4243/cmdline"), "curl\0");
        Files.writeString(home.resolve(".claude.json"), "{\"key\":\"" + KEY + "\"}");
        assertThat(scan(new LocalGuest(Map.of(), home)).saw()).isEqualTo("the real value of route api.anthropic.com "
                + "(x-api-key) at bottle.yaml:1:1 is in a guest file");
    }

    @Test
    void aProcessWhoseEnvironmentCannotBeReadIsAMiss() throws Exception {
        // as root without the right to trace another user's process reads it: the open fails
        Files.createDirectories(proc.resolve("77/environ"));
        Files.writeString(proc.resolve("77/cmdline"), "node\0");

        Probe.Result result = scan(new LocalGuest(Map.of(), home));

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).isEqualTo("the environment of the guest's process 77 could not be read");
    }

    @Test
    void aProcessHoldingMoreThanIsReadIsAMissForItsTailCouldHideAValue() throws Exception {
        process("88", "PAD=" + "x".repeat(GuestValueScan.PROCESS_BYTES) + "\0SECRET=" + KEY + "\0", "sleep\0");

        Probe.Result result = scan(new LocalGuest(Map.of(), home));

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).isEqualTo("process 88 holds more environment than the probe reads (256 KiB)");
    }

    @Test
    @Timeout(60)
    void fifosWhereTheAgentsFilesAreDoNotHoldTheScan() throws Exception {
        for (String name : List.of(".curlrc", ".gitconfig", "later.txt")) {
            new ProcessBuilder("mkfifo", home.resolve(name).toString()).start().waitFor();
        }

        Probe.Result result = scan(new LocalGuest(Map.of(), home));

        assertThat(result.held()).as(result.saw()).isTrue();
    }

    @Test
    void aFileReadThatWasCutOffOrAScanThatDidNotEndIsAMiss() throws Exception {
        String whole = "ENV 1 " + Base64.getEncoder().encodeToString("A=1\0".getBytes(StandardCharsets.UTF_8))
                + " -\nFILES\nfile bytes\nEND\n";
        assertThat(GuestValueScan.verdict(whole, ROUTES).held()).isTrue();
        assertThat(GuestValueScan.verdict(whole.replace("\nEND\n", "\n"), ROUTES).held()).isFalse();
        assertThat(GuestValueScan.verdict("", ROUTES).held()).isFalse();
        assertThat(GuestValueScan.verdict("FILES\n\nEND\n", ROUTES).saw()).isEqualTo("no process of the guest could "
                + "be read");
        assertThat(GuestValueScan.verdict("ENV 1 !!! -\nFILES\n\nEND\n", ROUTES).held()).isFalse();
        assertThat(GuestValueScan.verdict("OVERFLOW\nFILES\n\nEND\n", ROUTES).held()).isFalse();

        var cut = new ScriptedGuest(e -> new ExecResult(0, whole, "CUT\n"));
        assertThat(GuestValueScan.of("/home/node").run(cut, ROUTES)).satisfies(r -> {
            assertThat(r.held()).isFalse();
            assertThat(r.saw()).startsWith("a guest file could not be read within seconds");
        });
    }

    @Test
    void theBareTokenOfABearerRouteInAProcesssEnvironmentIsAMissThatDoesNotShowIt() throws Exception {
        process("4244", "HOME=/home/node\0CLAUDE_CODE_OAUTH_TOKEN=" + TOKEN + "\0", "claude\0");

        Probe.Result result = new GuestValueScan(proc.toString(), List.of(home.toString()))
                .run(new LocalGuest(Map.of(), home), BEARER);

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).isEqualTo("the real value of route api.anthropic.com (authorization) at "
                + "bottle.yaml:1:1 is in the environment or command line of a guest process").doesNotContain(TOKEN);
    }

    @Test
    void theBareTokenOfABearerRouteInAFileIsAMiss() throws Exception {
        Files.writeString(home.resolve(".credentials.json"),
                "{\"claudeAiOauth\":{\"accessToken\":\"" + TOKEN + "\"}}");

        Probe.Result result = new GuestValueScan(proc.toString(), List.of(home.toString()))
                .run(new LocalGuest(Map.of(), home), BEARER);

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).isEqualTo("the real value of route api.anthropic.com (authorization) at "
                + "bottle.yaml:1:1 is in a guest file").doesNotContain(TOKEN);
    }

    @Test
    void aGuestHoldingTheSchemeWordAndThePlaceholderOfABearerRouteHolds() throws Exception {
        process("4245", "CLAUDE_CODE_OAUTH_TOKEN=bottle-placeholder\0", "curl\0-H\0Authorization: Bearer x\0");

        Probe.Result result = new GuestValueScan(proc.toString(), List.of(home.toString()))
                .run(new LocalGuest(Map.of(), home), BEARER);

        assertThat(result.held()).as(result.saw()).isTrue();
    }
}
