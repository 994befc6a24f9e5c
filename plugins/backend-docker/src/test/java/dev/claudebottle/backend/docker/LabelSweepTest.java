package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a bottle's label sweep removes, and in which order, against an engine that records what it is asked. */
class LabelSweepTest {
    /** Two containers and a network of bottle demo-0001; anything else belongs to no one the sweep asks for. */
    private static final class Recording extends RefusingEngine {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public List<String> containers(Map<String, String> labels) {
            asked.add("containers " + labels);
            return labels.equals(Map.of(Labels.SLUG, "demo-0001")) ? List.of("guest-id", "bundle-id") : List.of();
        }

        @Override
        public List<String> networks(Map<String, String> labels) {
            asked.add("networks " + labels);
            return labels.equals(Map.of(Labels.SLUG, "demo-0001")) ? List.of("claude-bottle-demo-0001") : List.of();
        }

        @Override
        public void remove(String containerId) {
            asked.add("remove " + containerId);
        }

        @Override
        public void removeNetwork(String nameOrId) {
            asked.add("remove network " + nameOrId);
        }
    }

    @Test
    void containersGoBeforeTheNetworksTheyAreOn() {
        Recording engine = new Recording();
        LabelSweep.containersAndNetworks(engine, "demo-0001");
        assertThat(engine.asked).hasSize(5).startsWith("containers {claude-bottle.slug=demo-0001}")
                .endsWith("networks {claude-bottle.slug=demo-0001}", "remove network claude-bottle-demo-0001");
        assertThat(engine.asked.subList(1, 3)).as("the containers, side by side")
                .containsExactlyInAnyOrder("remove guest-id", "remove bundle-id");
    }

    @Test
    void aContainerSweepLeavesTheNetworksAlone() {
        Recording engine = new Recording();
        LabelSweep.containers(engine, "demo-0001");
        assertThat(engine.asked).hasSize(3).startsWith("containers {claude-bottle.slug=demo-0001}")
                .contains("remove guest-id", "remove bundle-id");
    }

    @Test
    void aBottleWithNothingLeftIsSweptWithoutARemoval() {
        Recording engine = new Recording();
        LabelSweep.containersAndNetworks(engine, "gone-0002");
        assertThat(engine.asked).noneMatch(call -> call.startsWith("remove"));
    }
}
