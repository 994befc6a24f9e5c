package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the engine is told about a container's place on the host, read without an engine. */
class DockerJavaEngineTest {
    private static final ContainerSpec PLAIN = new ContainerSpec("c", "image:test", List.of(), Map.of(), "net",
            List.of(), List.of(), Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
            Optional.empty());

    @Test
    void aCappedContainerHasItsMemoryAsMemoryAndSwapItsProcessesAndItsCoresInBillionths() {
        HostConfig host = DockerJavaEngine.hostConfig(PLAIN.withLimits(new ContainerSpec.Limits(512L << 20, 100,
                Optional.of(new BigDecimal("1.25")))));

        assertThat(host.getMemory()).isEqualTo(512L << 20);
        assertThat(host.getMemorySwap()).as("no swap beyond the memory").isEqualTo(512L << 20);
        assertThat(host.getPidsLimit()).isEqualTo(100L);
        assertThat(host.getNanoCPUs()).isEqualTo(1_250_000_000L);
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
    }

    @Test
    void aContainerCappedInMemoryAndProcessesOnlyLeavesItsCpuToTheEngine() {
        HostConfig host = DockerJavaEngine.hostConfig(PLAIN.withLimits(new ContainerSpec.Limits(2L << 30, 1024,
                Optional.empty())));

        assertThat(host.getMemory()).isEqualTo(2L << 30);
        assertThat(host.getPidsLimit()).isEqualTo(1024L);
        assertThat(host.getNanoCPUs()).isNull();
    }

    @Test
    void anUncappedContainerSaysNothingOfLimits() {
        HostConfig host = DockerJavaEngine.hostConfig(PLAIN);

        assertThat(host.getMemory()).isNull();
        assertThat(host.getMemorySwap()).isNull();
        assertThat(host.getPidsLimit()).isNull();
        assertThat(host.getNanoCPUs()).isNull();
    }

    @Test
    void theEnginesWordThatItDroppedACapIsFoundAmongItsWarnings() {
        String memory = "Your kernel does not support memory limit capabilities or the cgroup is not mounted. "
                + "Limitation discarded.";
        String pids = "Your kernel does not support pids limit capabilities or the cgroup is not mounted. "
                + "PIDs limit discarded.";
        String swap = "Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                + "Memory limited without swap.";

        assertThat(DockerJavaEngine.discardedLimits(new String[] {memory, swap, pids})).containsExactly(memory, pids);
        assertThat(DockerJavaEngine.discardedLimits(new String[] {swap})).isEmpty();
        assertThat(DockerJavaEngine.discardedLimits(null)).isEmpty();
        assertThat(DockerJavaEngine.refusesCpuCap("Status 400: {\"message\":\"NanoCPUs can not be set, as your kernel "
                + "does not support CPU CFS scheduler or the cgroup is not mounted\"}")).isTrue();
        assertThat(DockerJavaEngine.refusesCpuCap("Conflict. The container name is already in use")).isFalse();
        assertThat(DockerJavaEngine.refusesCpuCap(null)).isFalse();
    }

    @Test
    void aNetworkMadeWithASubnetAloneHasItsFirstAddressAsItsGateway() {
        org.assertj.core.api.Assertions.assertThat(DockerEngine.Subnet.of("198.18.7.0/24", null).gateway())
                .isEqualTo("198.18.7.1");
        org.assertj.core.api.Assertions.assertThat(DockerEngine.Subnet.of("10.20.0.0/16", "").gateway())
                .isEqualTo("10.20.0.1");
        org.assertj.core.api.Assertions.assertThat(DockerEngine.Subnet.of("172.18.0.0/16", "172.18.0.1").gateway())
                .isEqualTo("172.18.0.1");
    }
}
