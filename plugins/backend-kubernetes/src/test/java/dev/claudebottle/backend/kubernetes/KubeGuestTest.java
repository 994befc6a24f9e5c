package dev.claudebottle.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands in the guest pod through its exec subresource, as whom they run and what comes back. */
class KubeGuestTest {
    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String exec(List<String> argv) {
        return FakeCluster.execPath("guest", "agent", argv);
    }

    @Test
    void theAgentsCommandTakesItsIdsAndLosesEveryCapabilityBeforeItRuns() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TERM", "dumb");
        List<String> argv = KubeGuest.argv(Guest.AGENT_USER, "/home/node", List.of("claude", "-p", "hi"), env);

        assertThat(argv).containsExactly("setpriv", "--reuid=node", "--regid=node", "--init-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--no-new-privs", "--", "env", "HOME=/home/node", "USER=node", "LOGNAME=node",
                "TERM=dumb", "claude", "-p", "hi");
        assertThat(KubeGuest.argv(Guest.ROOT, "/home/node", List.of("id", "-u"), Map.of())).containsExactly("id", "-u");
        assertThat(KubeGuest.argv(Guest.ROOT, "/home/node", List.of("id"), Map.of("A", "b")))
                .containsExactly("env", "A=b", "id");
    }

    @Test
    void aCommandsOutputAndExitCodeComeBackFromTheExecSubresource() throws Exception {
        List<String> argv = KubeGuest.argv(Guest.AGENT_USER, "/home/node", List.of("sh", "-c", "id -u; exit 3"),
                Map.of());
        cluster.client.pods().resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("guest").endMetadata().withNewSpec().addNewContainer().withName("agent").endContainer()
                .endSpec().build()).create();
        cluster.server.expect().get().withPath(exec(argv)).andUpgradeToWebSocket().open(new OutputStreamMessage("1000\n"))
                .waitFor(10).andEmit(new StatusStreamMessage(3)).done().once();

        ExecResult r = new KubeGuest(cluster.client, FakeCluster.NAMESPACE, "guest", "/home/node")
                .exec(Guest.AGENT_USER, List.of("sh", "-c", "id -u; exit 3"), Map.of());

        assertThat(r.stdout()).isEqualTo("1000\n");
        assertThat(r.exitCode()).isEqualTo(3);
    }
}
