package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Removals run side by side until the network waits for them; a removal that comes later runs at once. */
class BackgroundRemovalsTest {
    @Test
    void aRemovalSubmittedOnceTheNetworkWaitedRunsBeforeSubmitReturns() {
        BackgroundRemovals removals = new BackgroundRemovals();
        List<String> done = new CopyOnWriteArrayList<>();
        removals.submit("guest", () -> done.add("guest"));
        removals.awaitAll();
        assertThat(done).containsExactly("guest");

        // a step that landed after the teardown began: nothing waits for its removal any more
        removals.submit("bundle", () -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.add("bundle");
        });

        assertThat(done).containsExactly("guest", "bundle");
    }
}
