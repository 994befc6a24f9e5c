package dev.claudebottle.warm;

import dev.claudebottle.kernel.Bottles;
import dev.claudebottle.kernel.run.BottleHandle;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.kernel.run.Probes;
import dev.claudebottle.kernel.run.Teardown;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import java.nio.file.Path;
import java.util.List;

/**
 * A warm bottle this command claimed: held like one it started, so closing it removes it (on
 * Ctrl-C and SIGTERM too) unless it was detached; at its first alert, when its manifest says
 * {@code on_alert: stop}, it is stopped.
 */
final class ClaimedBottle implements BottleHandle {
    private final String slug;
    private final Path stateDir;
    private final Guest guest;
    private final List<Probes.Outcome> probes;
    private final List<String> command;
    private final boolean stopsAtFirstAlert;
    private final EventSink events;
    private final Teardown teardown;
    private final Thread alertWatch;
    private boolean keep;

    ClaimedBottle(String slug, Path stateDir, Guest guest, List<Probes.Outcome> probes, List<String> command,
                  boolean stopsAtFirstAlert, Bottles bottles, Teardown teardown, EventSink events) {
        this.slug = slug;
        this.stateDir = stateDir;
        this.guest = guest;
        this.probes = List.copyOf(probes);
        this.command = List.copyOf(command);
        this.stopsAtFirstAlert = stopsAtFirstAlert;
        this.events = events;
        this.teardown = teardown;
        alertWatch = new Thread(() -> {
            try {
                bottles.stopAtFirstAlert(slug).ifPresent(alert -> events.warn("stopped bottle " + slug
                        + " at its first alert (" + alert.rule() + ")"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                events.debug("the alert watch of " + slug + " ended: " + e.getMessage());
            }
        }, "alert-watch " + slug);
        alertWatch.setDaemon(true);
        if (stopsAtFirstAlert) {
            alertWatch.start();
        }
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public Guest guest() {
        return guest;
    }

    @Override
    public List<Probes.Outcome> probes() {
        return probes;
    }

    @Override
    public List<String> agentCommand() {
        return command;
    }

    @Override
    public boolean stopsAtFirstAlert() {
        return stopsAtFirstAlert;
    }

    @Override
    public void detach() {
        alertWatch.interrupt();
        BottleStore store = new BottleStore();
        store.read(stateDir).map(BottleRecord::detached).ifPresent(r -> store.write(stateDir, r));
        keep = true;
    }

    @Override
    public void close() {
        alertWatch.interrupt();
        if (!keep) {
            events.lifecycle("removing bottle " + slug);
        }
        teardown.finish(keep);
    }
}
