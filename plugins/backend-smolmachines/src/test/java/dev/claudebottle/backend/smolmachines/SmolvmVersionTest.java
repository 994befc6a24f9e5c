package dev.claudebottle.backend.smolmachines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmolvmVersionTest {
    @Test
    void parsesWhatSmolvmPrints() {
        assertThat(SmolvmVersion.parse("smolvm 0.8.2")).contains(new SmolvmVersion(0, 8, 2));
        assertThat(SmolvmVersion.parse("smolvm 1.10.0 (abc123)")).contains(new SmolvmVersion(1, 10, 0));
        assertThat(SmolvmVersion.parse("no version here")).isEmpty();
    }

    @Test
    void versionsBefore180DropTheEgressAllowlistOfPackedMachines() {
        assertThat(new SmolvmVersion(1, 7, 9).atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)).isFalse();
        assertThat(new SmolvmVersion(0, 8, 2).atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)).isFalse();
        assertThat(new SmolvmVersion(1, 8, 0).atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)).isTrue();
        assertThat(new SmolvmVersion(1, 10, 0).atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)).isTrue();
    }

    @Test
    void loopbackAddressIsStablePerSlugAndAvoids127Dot0() {
        assertThat(Loopback.derive("coder-3f2a")).isEqualTo(Loopback.derive("coder-3f2a"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String address = Loopback.derive("agent-" + i);
            String[] parts = address.split("\\.");
            assertThat(parts[0]).isEqualTo("127");
            assertThat(Integer.parseInt(parts[1])).isBetween(1, 254);
            assertThat(Integer.parseInt(parts[2])).isBetween(0, 255);
            assertThat(Integer.parseInt(parts[3])).isBetween(1, 254);
            seen.add(address);
        }
        assertThat(seen).hasSizeGreaterThan(490);
    }
}
