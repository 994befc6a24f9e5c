package dev.claudebottle.kernel.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepRunnerTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final EventSink sink = events::add;
    private final StepContext context = new StepContext() {
        @Override
        public LaunchSpec spec() {
            throw new UnsupportedOperationException("not used by these steps");
        }

        @Override
        public Guest guest() {
            throw new UnsupportedOperationException("not used by these steps");
        }

        @Override
        public Endpoint endpoint(String portName) {
            throw new UnsupportedOperationException("not used by these steps");
        }

        @Override
        public Map<String, String> guestEnv() {
            return Map.of();
        }

        @Override
        public EventSink events() {
            return sink;
        }

        @Override
        public <T> void produce(ResultKey<T> key, T value) {
            throw new UnsupportedOperationException("not used by these steps");
        }

        @Override
        public <T> T result(ResultKey<T> key) {
            throw new UnsupportedOperationException("not used by these steps");
        }
    };

    private Owned<Step> recording(String id) {
        return new Owned<>("test", Step.of(id, Phase.PREPARE, "run " + id, ctx -> {
            log.add("run " + id);
            return () -> log.add("undo " + id);
        }));
    }

    @Test
    void probesRunSideBySideAndTheFirstThatMissedInPlanOrderIsReported() {
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        dev.claudebottle.spi.Action meet = ctx -> {
            both.countDown();
            // each probe waits for the other: run one after the other, they could never both finish
            assertThat(both.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            return Undo.NONE;
        };
        UndoStack undo = new UndoStack(sink);
        new StepRunner().run(List.of(recording("a"), new Owned<>("p", Step.of("v.one", Phase.VERIFY, "one", meet)),
                new Owned<>("p", Step.of("v.two", Phase.VERIFY, "two", meet))), context, undo);
        assertThat(undo.size()).isEqualTo(3);

        UndoStack second = new UndoStack(sink);
        java.util.concurrent.atomic.AtomicReference<Thread> fast = new java.util.concurrent.atomic.AtomicReference<>();
        dev.claudebottle.spi.Action missed = ctx -> {
            fast.set(Thread.currentThread());
            throw new dev.claudebottle.spi.EnvironmentException("the fence does not hold: saw a hole", "h");
        };
        assertThatThrownBy(() -> new StepRunner().run(List.of(recording("b"),
                new Owned<>("p", Step.of("v.slow", Phase.VERIFY, "slow", ctx -> {
                    // the probe after it in the plan misses first: its thread ends with the miss
                    Await.until(Duration.ofSeconds(10), "the fast probe's miss",
                            () -> fast.get() != null && !fast.get().isAlive());
                    throw new dev.claudebottle.spi.EnvironmentException("the fence does not hold: first", "h");
                })), new Owned<>("p", Step.of("v.fast", Phase.VERIFY, "fast", missed))), context, second))
                .isInstanceOf(dev.claudebottle.spi.EnvironmentException.class)
                .hasMessageContaining("step 'v.slow' (p) failed: the fence does not hold: first");
        assertThat(log).contains("undo b");
    }

    @Test
    void aProbeThatMissedUnwindsTheBottleOnlyOnceEveryOtherProbeHasEnded() {
        java.util.concurrent.atomic.AtomicBoolean slowEnded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Boolean> endedAtUnwind = new java.util.concurrent.CopyOnWriteArrayList<>();
        UndoStack undo = new UndoStack(sink);
        Step container = new Step("c", Phase.LAUNCH, List.of(), "a container", ctx -> () -> endedAtUnwind.add(
                slowEnded.get()));
        assertThatThrownBy(() -> new StepRunner().run(List.of(new Owned<>("p", container),
                new Owned<>("p", Step.of("v.miss", Phase.VERIFY, "miss", ctx -> {
                    throw new dev.claudebottle.spi.EnvironmentException("the fence does not hold", "h");
                })), new Owned<>("p", Step.of("v.helper", Phase.VERIFY, "a probe with a helper of its own", ctx -> {
                    Thread.sleep(300);
                    slowEnded.set(true);
                    return Undo.NONE;
                }))), context, undo)).isInstanceOf(dev.claudebottle.spi.EnvironmentException.class);

        assertThat(endedAtUnwind).as("what the slow probe made is its own to remove before the bottle goes")
                .containsExactly(true);
    }

    @Test
    void runsInOrderAndLeavesUndosForExit() {
        UndoStack undo = new UndoStack(sink);
        new StepRunner().run(List.of(recording("a"), recording("b")), context, undo);
        assertThat(log).containsExactly("run a", "run b");
        assertThat(undo.size()).isEqualTo(2);
        undo.close();
        assertThat(log).containsExactly("run a", "run b", "undo b", "undo a");
    }

    @Test
    void failureUnwindsInReverseAndNamesTheStep() {
        UndoStack undo = new UndoStack(sink);
        Owned<Step> failing = new Owned<>("broken-plugin", Step.of("c", Phase.PREPARE, "fail", ctx -> {
            throw new IllegalStateException("disk full");
        }));
        assertThatThrownBy(() -> new StepRunner().run(List.of(recording("a"), recording("b"), failing,
                recording("d")), context, undo))
                .isInstanceOf(BottleException.class)
                .hasMessageContaining("step 'c' (broken-plugin) failed: disk full");
        assertThat(log).containsExactly("run a", "run b", "undo b", "undo a");
        assertThat(undo.size()).isZero();
    }

    @Test
    void aFailingUndoIsReportedAndTheRestStillRun() {
        UndoStack undo = new UndoStack(sink);
        undo.push("first", () -> log.add("undo first"));
        undo.push("second", () -> {
            throw new IllegalStateException("already gone");
        });
        undo.push("third", () -> log.add("undo third"));
        undo.unwind();
        assertThat(log).containsExactly("undo third", "undo first");
        assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("could not undo second: already gone"));
    }

    @Test
    void interruptBetweenStepsUnwindsWhatRan() throws Exception {
        UndoStack undo = new UndoStack(sink);
        Owned<Step> interrupting = new Owned<>("test", Step.of("stop", Phase.PREPARE, "interrupt", ctx -> {
            log.add("run stop");
            Thread.currentThread().interrupt();
            return () -> log.add("undo stop");
        }));
        // On a thread of its own, so that the interrupt it raises stays off the test's thread;
        // what it threw is checked here, where a failed assertion fails the test.
        java.util.concurrent.CompletableFuture<Throwable> thrown = new java.util.concurrent.CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                new StepRunner().run(List.of(recording("a"), interrupting, recording("never")), context, undo);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        worker.start();
        worker.join();
        assertThat(thrown.get()).isInstanceOf(BottleException.class)
                .hasMessageContaining("interrupted before step 'never'");
        assertThat(log).containsExactly("run a", "run stop", "undo stop", "undo a");
    }

    @Test
    void unwindRunsEachUndoOnceEvenWhenCalledConcurrently() throws Exception {
        UndoStack undo = new UndoStack(sink);
        for (int i = 0; i < 200; i++) {
            int n = i;
            undo.push("u" + n, () -> log.add("undo " + n));
        }
        Thread a = new Thread(undo::unwind);
        Thread b = new Thread(undo::unwind);
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(log).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void anUndoPushedAfterUnwindingBeganRunsAtOnce() {
        UndoStack undo = new UndoStack(sink);
        undo.push("early", () -> log.add("undo early"));
        undo.unwind();
        assertThat(undo.closed()).isTrue();
        undo.push("late", () -> log.add("undo late"));
        assertThat(log).containsExactly("undo early", "undo late");
        assertThat(undo.size()).isZero();
    }

    @Test
    void theRunnerStartsNoStepOnceTheStackIsClosed() {
        UndoStack undo = new UndoStack(sink);
        undo.unwind();
        assertThatThrownBy(() -> new StepRunner().run(List.of(recording("a")), context, undo))
                .isInstanceOf(BottleException.class).hasMessageContaining("interrupted before step 'a'");
        assertThat(log).isEmpty();
    }

    @Test
    void aMissingPrerequisiteStaysAnEnvironmentFailureAfterUnwinding() {
        Owned<Step> missing = new Owned<>("test", Step.of("needs-tool", Phase.PREPARE, "needs a tool", ctx -> {
            throw new dev.claudebottle.spi.EnvironmentException("the tool is missing", "install the tool");
        }));
        UndoStack undo = new UndoStack(sink);
        assertThatThrownBy(() -> new StepRunner().run(List.of(recording("a"), missing), context, undo))
                .isInstanceOf(dev.claudebottle.spi.EnvironmentException.class)
                .hasMessageContaining("the tool is missing")
                .satisfies(e -> assertThat(((BottleException) e).hint()).contains("install the tool"));
        assertThat(log).containsExactly("run a", "undo a");
    }
}
