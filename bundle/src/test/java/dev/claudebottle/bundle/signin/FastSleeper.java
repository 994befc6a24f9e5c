package dev.claudebottle.bundle.signin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sleeps a hundredth of what it is asked, so backoffs and lock waits keep their order without slowing tests; remembers what it was asked. */
final class FastSleeper implements Sleeper {
    private final List<Duration> asked = new ArrayList<>();

    @Override
    public void sleep(Duration pause) throws InterruptedException {
        synchronized (this) {
            asked.add(pause);
        }
        Thread.sleep(Math.max(1, pause.toMillis() / 100));
    }

    synchronized List<Duration> asked() {
        return List.copyOf(asked);
    }
}
