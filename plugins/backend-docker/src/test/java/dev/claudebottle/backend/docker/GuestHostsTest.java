package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestHostsTest {
    @TempDir
    Path dir;

    @Test
    void theBundleIsAddedAfterWhatTheFileHeld() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1\tlocalhost\n172.30.4.3\tdemo-0001\n");

        Process sh = new ProcessBuilder(GuestHosts.addBundle("172.30.4.2", hosts.toString())).start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(sh.exitValue()).isZero();
        assertThat(Files.readAllLines(hosts)).containsExactly("127.0.0.1\tlocalhost", "172.30.4.3\tdemo-0001",
                "172.30.4.2\tclaude-bottle-bundle");
        assertThat(GuestHosts.addBundle("172.30.4.2")).endsWith("/etc/hosts");
    }

    @Test
    void onlyAnAddressBecomesAnEntry() {
        assertThatThrownBy(() -> GuestHosts.addBundle("10.0.0.2\n10.9.9.9 api.anthropic.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuestHosts.addBundle("$(reboot)")).isInstanceOf(IllegalArgumentException.class);
    }
}
