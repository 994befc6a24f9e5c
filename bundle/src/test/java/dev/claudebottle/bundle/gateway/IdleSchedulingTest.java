package dev.claudebottle.bundle.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IdleSchedulingTest {
    @Test
    void aThreadMovedIsIdleAndSoIsEveryThreadItStartsButNoOther() throws Exception {
        AtomicReference<String> tid = new AtomicReference<>();
        java.util.concurrent.CountDownLatch named = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch moved = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger own = new AtomicInteger(-1);
        AtomicInteger child = new AtomicInteger(-1);
        Thread t = new Thread(() -> {
            try {
                tid.set(IdleScheduling.callingThread());
                named.countDown();
                moved.await();
                own.set(IdleScheduling.policy(IdleScheduling.callingThread()));
                Thread c = new Thread(() -> {
                    try {
                        child.set(IdleScheduling.policy(IdleScheduling.callingThread()));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                c.start();
                c.join();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        named.await();
        assertEquals(Optional.empty(), IdleScheduling.move(tid.get()));
        moved.countDown();
        t.join();
        assertEquals(IdleScheduling.SCHED_IDLE, own.get());
        assertEquals(IdleScheduling.SCHED_IDLE, child.get());
        // the mover, and the JDK's thread that waited for chrt, are not in the class
        assertTrue(IdleScheduling.policy(IdleScheduling.callingThread()) != IdleScheduling.SCHED_IDLE);
        assertEquals(List.of(), idleThreadsOnceEnded());
    }

    /** The names of this process's threads in SCHED_IDLE once those that are ending have ended (20 s at most). */
    static List<String> idleThreadsOnceEnded() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> idle = idleThreads();
        while (!idle.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            idle = idleThreads();
        }
        return idle;
    }

    @Test
    void aThreadThatCannotBeMovedSaysWhy() {
        // no such thread: chrt fails, and nothing is moved
        Optional<String> failure = IdleScheduling.move("999999999");
        assertTrue(failure.isPresent());
    }

    /** The names of this process's threads that are in SCHED_IDLE now. */
    static List<String> idleThreads() throws IOException {
        List<String> idle = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (IdleScheduling.policy(task.getFileName().toString()) == IdleScheduling.SCHED_IDLE) {
                        idle.add(Files.readString(task.resolve("comm")).strip());
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // the thread ended while the list was read
                }
            }
        }
        return idle;
    }
}
