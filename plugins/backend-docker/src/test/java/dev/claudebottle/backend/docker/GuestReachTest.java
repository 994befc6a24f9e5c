package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.testing.LocalGuest;
import dev.claudebottle.spi.testing.ScriptedGuest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reach probes believe only what an attempt that ran to its end said, and run out of the agent's reach. */
class GuestReachTest {
    @Test
    void aConnectProbeTheAgentKilledIsAMissNotAHold() throws Exception {
        // the agent kills the probe's processes: nothing is printed and the exec ends by a signal
        ScriptedGuest killed = new ScriptedGuest(e -> new ExecResult(137, "", ""));

        Probe.Result result = GuestReach.noConnection(killed, List.of("172.30.4.1"));

        assertThat(result.held()).as(result.saw()).isFalse();
    }

    @Test
    void theReachProbesRunAsRootFromACleanEnvironmentBoundedInTime() throws Exception {
        ScriptedGuest guest = new ScriptedGuest(e -> new ExecResult(0, "", ""));

        GuestReach.noConnection(guest, List.of("172.30.4.1"));
        GuestReach.noAnswer(guest, "claude-bottle-demo-bundle");

        assertThat(guest.execs).hasSize(2).allSatisfy(e -> {
            assertThat(e.user()).as("the agent can neither kill nor trace root's processes").isEqualTo(Guest.ROOT);
            assertThat(String.join(" ", e.argv()))
                    .contains("env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent")
                    .contains("timeout -s KILL");
        });
    }

    @Test
    void aTargetWhoseAttemptSaidNothingIsAMiss() {
        List<String> targets = List.of("172.30.4.1:22", "172.30.4.1:80");

        Probe.Result result = GuestReach.connections(targets, "FAILED 172.30.4.1:22 Connection refused\nDONE\n",
                "held");

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).contains("1 of 2 said nothing (172.30.4.1:80)");
    }

    @Test
    void attemptsThatEndedWithoutTheirEndBeingReportedAreAMiss() {
        List<String> targets = List.of("172.30.4.1:22");

        assertThat(GuestReach.connections(targets, "FAILED 172.30.4.1:22 Connection refused\n", "held").held())
                .isFalse();
        assertThat(GuestReach.connections(targets, "FAILED 172.30.4.1:22 Connection refused\nnoise\nDONE\n", "held")
                .held()).isFalse();
    }

    @Test
    void everyAttemptEndedUnconnectedHoldsSayingHowTheyEnded() {
        List<String> targets = List.of("172.30.4.1:22", "172.30.4.1:80", "172.30.4.1:443");

        Probe.Result result = GuestReach.connections(targets, "FAILED 172.30.4.1:80 No route to host\n"
                + "FAILED 172.30.4.1:22 Connection refused\nSILENT 172.30.4.1:443\nDONE\n", "172.30.4.1 unreachable");

        assertThat(result.held()).as(result.saw()).isTrue();
        assertThat(result.saw()).isEqualTo("172.30.4.1 unreachable (1 SILENT, 1 refused, 1 unreachable)");
    }

    @Test
    void oneConnectedTargetIsAMissNamingIt() {
        List<String> targets = List.of("172.30.4.1:22", "172.30.4.1:80");

        Probe.Result result = GuestReach.connections(targets, "CONNECTED 172.30.4.1:80\n"
                + "FAILED 172.30.4.1:22 Connection refused\nDONE\n", "held");

        assertThat(result.held()).isFalse();
        assertThat(result.saw()).isEqualTo("the guest connected to 172.30.4.1:80");
    }

    @Test
    void theConnectScriptSaysForEachTargetHowItsAttemptEnded(@TempDir Path cwd) throws Exception {
        String closed;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = "127.0.0.1:" + gone.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String listening = "127.0.0.1:" + open.getLocalPort();
            LocalGuest guest = new LocalGuest(Map.of("HOME", cwd.toString()), cwd);

            Probe.Result reached = GuestReach.attempts(guest, List.of(closed, listening), "held");
            Probe.Result refused = GuestReach.attempts(guest, List.of(closed), "held");

            assertThat(reached.held()).isFalse();
            assertThat(reached.saw()).isEqualTo("the guest connected to " + listening);
            assertThat(refused.held()).as(refused.saw()).isTrue();
            assertThat(refused.saw()).isEqualTo("held (1 refused)");
            assertThat(guest.execs).allSatisfy(e -> assertThat(e.user()).isEqualTo(Guest.ROOT));
        }
    }

    @Test
    void aLookupThatEndedWithNotFoundAndNoAddressHolds() {
        assertThat(GuestReach.lookup("claude-bottle-demo-bundle", "LOOKUP-EXIT 2\n").held()).isTrue();
    }

    @Test
    void aLookupThatAnsweredOrEndedOtherwiseIsAMiss() {
        assertThat(GuestReach.lookup("b", "10.9.9.9 b\nLOOKUP-EXIT 0\n").saw()).isEqualTo("the guest resolved b: "
                + "10.9.9.9 b");
        assertThat(GuestReach.lookup("b", "LOOKUP-EXIT 137\n").held()).as("the lookup was killed").isFalse();
        assertThat(GuestReach.lookup("b", "LOOKUP-EXIT 0\n").held()).isFalse();
        assertThat(GuestReach.lookup("b", "").held()).isFalse();
        assertThat(GuestReach.lookup("b", "NO-ANSWER\n").held()).isFalse();
    }

    @Test
    void theLookupScriptSaysHowItEnded(@TempDir Path cwd) throws Exception {
        LocalGuest guest = new LocalGuest(Map.of(), cwd);

        Probe.Result result = GuestReach.noAnswer(guest, "claude-bottle-probe.invalid");

        assertThat(result.held()).as(result.saw()).isTrue();
        assertThat(result.saw()).isEqualTo("no answer for claude-bottle-probe.invalid");
    }
}
