package dev.claudebottle.warm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.kernel.Kernel;
import dev.claudebottle.kernel.KernelPaths;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.spi.HostEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a warm bottle is between the pool and a launch, as its state dir says: one claim only, and
 * a claim whose process died goes back to the pool only if it gave the bottle nothing.
 */
class WarmMarksTest {
    private static final WarmKey KEY = WarmKey.of("demo", "/work/bottle.yaml", "version: 1", "docker", List.of());
    @TempDir
    Path home;

    @Test
    void onlyOneOfManyClaimersTakesAWarmBottle() throws Exception {
        Path dir = Files.createDirectories(home.resolve("bottles/demo-0001"));
        new WarmMarks(dir).warm(KEY, Instant.now());
        int claimers = 8;
        CyclicBarrier together = new CyclicBarrier(claimers);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<Boolean>> took = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                took.add(pool.submit((Callable<Boolean>) () -> {
                    together.await();
                    return new WarmMarks(dir).take();
                }));
            }
            int won = 0;
            for (Future<Boolean> f : took) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(new WarmMarks(dir).warm()).isEmpty();
        assertThat(new WarmMarks(dir).claim()).hasValueSatisfying(c -> {
            assertThat(c.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(c.bound()).isFalse();
        });
    }

    @Test
    void aClaimThatDiedBeforeGivingAnythingIsBackInThePool() throws Exception {
        Path dir = claimedBy(deadPid(), false);

        pool().recover();

        assertThat(new WarmMarks(dir).warm()).hasValueSatisfying(w -> assertThat(w.key()).isEqualTo(KEY));
        assertThat(new WarmMarks(dir).claim()).isEmpty();
        assertThat(new BottleStore().read(dir)).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo("warm"));
    }

    @Test
    void aClaimThatDiedAfterItBeganToGiveValuesIsRemovedAndNeverBackInThePool() throws Exception {
        Path dir = claimedBy(deadPid(), true);
        List<String> said = new ArrayList<>();

        pool(said).recover();

        assertThat(new WarmMarks(dir).warm()).as("back in the pool").isEmpty();
        assertThat(said).anySatisfy(s -> assertThat(s).contains("removing warm bottle demo-0001")
                .contains("ended while it gave it its values"));
        assertThat(said).as("with no backend here the removal fails, and says so").anySatisfy(s -> assertThat(s)
                .contains("could not be removed"));
        assertThat(new WarmMarks(dir).claim()).as("still claimed, for the next settling").isPresent();
    }

    @Test
    void aClaimWhoseProcessHoldsItsLockIsLeftAloneWhateverItsPid() throws Exception {
        Path dir = claimedBy(deadPid(), false);
        try (WarmMarks live = new WarmMarks(dir)) {
            assertThat(live.settle()).as("a claim under way holds the lock").isTrue();

            pool().recover();

            assertThat(new WarmMarks(dir).warm()).isEmpty();
            assertThat(new WarmMarks(dir).claim()).isPresent();
        }
    }

    @Test
    void aClaimUnderWayIsNotInThePoolEvenIfAWarmMarkIsThereAgain() throws Exception {
        Path dir = claimedBy(ProcessHandle.current().pid(), false);
        new WarmMarks(dir).warm(KEY, Instant.now());

        assertThat(new WarmMarks(dir).warm()).isEmpty();
        assertThat(new WarmMarks(dir).take()).isFalse();
    }

    @Test
    void theKeyChangesWithEveryPartAndNeverWithAValue() {
        assertThat(WarmKey.of("demo", "/work/bottle.yaml", "version: 1 ", "docker", List.of()).digest())
                .isNotEqualTo(KEY.digest());
        assertThat(WarmKey.of("other", "/work/bottle.yaml", "version: 1", "docker", List.of()).digest())
                .isNotEqualTo(KEY.digest());
        assertThat(WarmKey.of("demo", "/work/bottle.yaml", "version: 1", "smolmachines", List.of()).digest())
                .isNotEqualTo(KEY.digest());
        assertThat(WarmKey.of("demo", "/work/bottle.yaml", "version: 1", "docker",
                List.of("CLAUDE_BOTTLE_ROUTE_0=route api.test")).digest()).isNotEqualTo(KEY.digest());
        assertThat(WarmKey.of("demo", "/work/bottle.yaml", "version: 1", "docker", List.of())).isEqualTo(KEY);
        // parts are length-prefixed: moving text from one part into the next is another key
        assertThat(WarmKey.of("demo", "/work/bottle.yaml", "1", "docker", List.of("a")).digest())
                .isNotEqualTo(WarmKey.of("demo", "/work/bottle.yaml", "a1", "docker", List.of()).digest());
    }

    private Path claimedBy(long pid, boolean bound) throws Exception {
        Path dir = Files.createDirectories(home.resolve("bottles/demo-0001"));
        new BottleStore().write(dir, new BottleRecord("demo-0001", "demo", "demo", "docker", "/work/bottle.yaml",
                "warm", Instant.now(), "/home/node", 0, List.of("bash")));
        try (WarmMarks marks = new WarmMarks(dir)) {
            marks.warm(KEY, Instant.now());
            assertThat(marks.take()).isTrue();
            if (bound) {
                marks.binding();
            }
        }
        Path claim = dir.resolve(WarmMarks.CLAIM);
        Files.writeString(claim, Files.readString(claim).replace("\"pid\":" + ProcessHandle.current().pid(),
                "\"pid\":" + pid));
        return dir;
    }

    private WarmPool pool() {
        return pool(new ArrayList<>());
    }

    private WarmPool pool(List<String> said) {
        KernelPaths paths = new KernelPaths(home, home.resolve("plugins"), Optional.empty(), home, "/home/node");
        HostEnvironment env = HostEnvironment.of(Map.of());
        return new WarmPool(new Kernel(paths, env, e -> said.add(e.message())), env, e -> said.add(e.message()));
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
