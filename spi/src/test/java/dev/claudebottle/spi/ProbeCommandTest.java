package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.testing.LocalGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A probe's command runs as root, from /, with nothing of the agent's env, and not past its limit. */
class ProbeCommandTest {
    @TempDir
    Path home;

    @Test
    void theCommandRunsAsRootFromTheRootWithOnlyTheVariablesItKeeps() throws Exception {
        // what the agent could have set up: variables its rc files export, a curl config in its home
        Files.writeString(home.resolve(".curlrc"), "proxy = http://agent.invalid:1\n");
        LocalGuest guest = new LocalGuest(Map.of("HOME", home.toString(), "CURL_HOME", home.toString(),
                "LD_PRELOAD", "/home/node/evil.so", "HTTPS_PROXY", "http://claude-bottle-bundle:8888",
                "PATH", home + ":/usr/bin:/bin"), home);

        ExecResult r = new ProbeCommand(List.of("sh", "-c", "pwd; env | sort"), List.of("HTTPS_PROXY", "NOT_SET"),
                Duration.ofSeconds(10)).run(guest);

        assertThat(guest.execs).singleElement().extracting(LocalGuest.Exec::user).isEqualTo(Guest.ROOT);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).first().isEqualTo("/");
        assertThat(r.stdout().lines().skip(1).filter(l -> !l.startsWith("PWD=") && !l.startsWith("SHLVL=")
                && !l.startsWith("_=")).toList()).containsExactly("HOME=/nonexistent",
                "HTTPS_PROXY=http://claude-bottle-bundle:8888", "LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    }

    @Test
    void aKeptValueIsPassedAsOneWordWhateverItHolds() throws Exception {
        LocalGuest guest = new LocalGuest(Map.of("ODD", "a b; $(touch /tmp/no) `x` \"q\""), home);

        ExecResult r = new ProbeCommand(List.of("sh", "-c", "printf '%s' \"$ODD\""), List.of("ODD"),
                Duration.ofSeconds(10)).run(guest);

        assertThat(r.stdout()).isEqualTo("a b; $(touch /tmp/no) `x` \"q\"");
    }

    @Test
    @Timeout(20)
    void aCommandThatHangsIsKilledAtItsLimitWithItsChildrenAndSaysItDidNotFinish() throws Exception {
        Path fifo = home.resolve("swapped");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        LocalGuest guest = new LocalGuest(Map.of(), home);
        long start = System.nanoTime();

        // a FIFO nobody writes to, where a file was: reading it waits for ever
        ExecResult r = new ProbeCommand(List.of("sh", "-c", "cat \"$0\" & wait; echo READ", fifo.toString()),
                List.of(), Duration.ofSeconds(1)).run(guest);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(ProbeCommand.finished(r)).isFalse();
        assertThat(r.stdout()).doesNotContain("READ");
        assertThat(ProbeCommand.unfinished(r)).contains("killed");
    }

    @Test
    void onlyACommandThatEndedOnItsOwnFinished() {
        assertThat(ProbeCommand.finished(new ExecResult(0, "", ""))).isTrue();
        assertThat(ProbeCommand.finished(new ExecResult(2, "", ""))).isTrue();
        assertThat(ProbeCommand.finished(new ExecResult(124, "", ""))).isFalse();
        assertThat(ProbeCommand.finished(new ExecResult(137, "", ""))).isFalse();
        assertThat(ProbeCommand.finished(new ExecResult(143, "", ""))).isFalse();
        assertThat(ProbeCommand.finished(new ExecResult(-1, "", ""))).isFalse();
    }

    @Test
    void aVariableNameCannotCarryShell() {
        assertThatThrownBy(() -> new ProbeCommand(List.of("true"), List.of("X}; rm -rf /; ${Y"),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
