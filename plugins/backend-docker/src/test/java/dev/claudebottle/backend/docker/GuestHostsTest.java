package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestHostsTest {
    @TempDir
    Path dir;

    @Test
    void theBundlesAddressIsWrittenIntoTheSameFileTheGuestMounted() throws Exception {
        Path file = dir.resolve("guest-hosts");
        GuestHosts hosts = new GuestHosts(file, "demo-0001");

        String bind = hosts.create();
        Object inode = Files.getAttribute(file, "unix:ino");
        assertThat(bind).isEqualTo(file + ":/etc/hosts:ro");
        assertThat(Files.readAllLines(file)).contains("127.0.0.1\tlocalhost", "127.0.1.1\tdemo-0001")
                .noneMatch(l -> l.contains(GuestHosts.BUNDLE));

        hosts.pointBundleAt("172.30.4.2");
        assertThat(Files.getAttribute(file, "unix:ino")).as("rewritten in place, not replaced").isEqualTo(inode);
        assertThat(Files.readAllLines(file)).contains("127.0.0.1\tlocalhost", "127.0.1.1\tdemo-0001",
                        "172.30.4.2\tclaude-bottle-bundle")
                .filteredOn(l -> l.contains(GuestHosts.BUNDLE)).hasSize(1);
    }

    @Test
    void onlyAnAddressAndAHostNameBecomeEntries() {
        GuestHosts hosts = new GuestHosts(dir.resolve("guest-hosts"), "demo-0001");
        hosts.create();
        assertThatThrownBy(() -> hosts.pointBundleAt("10.0.0.2\n10.9.9.9 api.anthropic.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestHosts(dir.resolve("other"), "demo\n10.9.9.9 api.anthropic.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
