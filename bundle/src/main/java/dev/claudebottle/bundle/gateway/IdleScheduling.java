package dev.claudebottle.bundle.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Linux's {@code SCHED_IDLE} scheduling class for a thread: it runs only on CPU time no other
 * thread wants, and every thread it starts from then on is in the class too. No privilege is
 * needed to enter it, and none is held to leave it: a thread that entered stays.
 *
 * <p>A thread is moved by another: the JDK's shared threads (the process reaper that waits for
 * {@code chrt}, say) are started by whichever thread needs them first, and must not be started by
 * one already in the class.
 */
final class IdleScheduling {
    /** The kernel's number for the class, as {@code /proc/.../stat} shows a thread's policy. */
    static final int SCHED_IDLE = 5;
    private static final int POLICY_FIELD = 41;

    private IdleScheduling() {
    }

    /** Moves thread {@code tid} of this process into the class; says why not when it could not. */
    static Optional<String> move(String tid) {
        try {
            Process chrt = new ProcessBuilder("chrt", "--idle", "--pid", "0", tid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!chrt.waitFor(10, TimeUnit.SECONDS)) {
                chrt.destroyForcibly();
                return Optional.of("chrt did not answer within 10 s");
            }
            int policy = policy(tid);
            return policy == SCHED_IDLE ? Optional.empty()
                    : Optional.of("chrt exited " + chrt.exitValue() + " and the scheduling policy is " + policy);
        } catch (IOException e) {
            return Optional.of("cannot set the scheduling class: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The kernel's id of the calling thread. */
    static String callingThread() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    }

    /** The scheduling policy of thread {@code tid} of this process. */
    static int policy(String tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task", tid, "stat"), StandardCharsets.US_ASCII);
        // the command name (field 2) is in parentheses and may hold spaces: count from after it
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[POLICY_FIELD - 3]);
    }
}
