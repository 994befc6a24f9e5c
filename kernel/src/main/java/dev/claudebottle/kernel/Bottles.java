package dev.claudebottle.kernel;

import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.records.AlertMarkerWatch;
import dev.claudebottle.records.RecordDir;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The bottles that exist: their records in the state home and their resources on the backends.
 * Lists them, stops them, enters them, and collects what a killed CLI left behind.
 */
public final class Bottles {
    private final KernelPaths paths;
    private final Supplier<List<Owned<Backend>>> backends;
    private final EventSink events;
    private final BottleStore store = new BottleStore();

    Bottles(KernelPaths paths, Supplier<List<Owned<Backend>>> backends, EventSink events) {
        this.paths = paths;
        this.backends = backends;
        this.events = events;
    }

    /** Every recorded bottle, oldest first; a bottle whose CLI died shows as {@code dead}. */
    public List<BottleRecord> list() {
        List<BottleRecord> out = new ArrayList<>();
        for (BottleRecord r : store.all(paths.bottlesDir())) {
            out.add(r.owned() ? r : r.withState("dead"));
        }
        out.sort(java.util.Comparator.comparing(BottleRecord::startedAt));
        return out;
    }

    /** The record of a bottle, or an error listing the ones that exist. */
    public BottleRecord find(String slug) {
        return store.read(paths.bottleDir(slug)).orElseThrow(() -> new BadInputException("no bottle named '" + slug
                + "'", "bottle ls lists the bottles; their names look like coder-3f2a"));
    }

    /** Removes a bottle's resources and its state dir. */
    public void stop(String slug) {
        BottleRecord record = find(slug);
        Backend backend = backend(record.backend());
        backend.home(slug).filter(h -> !h.equals(paths.home().toAbsolutePath().normalize())).ifPresentOrElse(o ->
                events.warn("bottle " + slug + " of another home, " + o + ", is left alone"), () -> backend.remove(slug));
        delete(slug);
        store.lifecycle(paths.recordDir(slug), slug, "stop", "bottle stop", events);
        events.lifecycle("stopped bottle " + slug);
    }

    /** The first alert a bottle raised, if it raised one: the bottle is tainted. */
    public Optional<dev.claudebottle.contract.AlertMarker> alert(String slug) {
        return new RecordDir(paths.recordDir(slug), slug).alert();
    }

    /**
     * Waits for a bottle's first alert and stops it then, its audit log kept ({@code on_alert: stop}
     * for a bottle no attached command watches); returns empty, stopping nothing, when the bottle
     * is stopped first.
     */
    public Optional<dev.claudebottle.contract.AlertMarker> stopAtFirstAlert(String slug)
            throws InterruptedException {
        find(slug);
        Optional<dev.claudebottle.contract.AlertMarker> alert = AlertMarkerWatch.await(new RecordDir(
                paths.recordDir(slug), slug), () -> store.read(paths.bottleDir(slug)).isPresent());
        try {
            alert.ifPresent(first -> stop(slug));
        } catch (BadInputException e) {
            return Optional.empty(); // stopped by someone else meanwhile
        }
        return alert;
    }

    /** The running guest of a bottle. */
    public Guest guest(String slug) {
        BottleRecord record = find(slug);
        return backend(record.backend()).guest(slug, record.guestHome())
                .orElseThrow(() -> new BadInputException("bottle " + slug + " is not running",
                        "bottle ls shows its state; bottle gc removes what is left of it"));
    }

    /** The bundle's last log lines. */
    public List<String> bundleLogs(String slug, int tail) {
        return backend(find(slug).backend()).bundleLogs(slug, tail);
    }

    /** The bundle's log as it is written, from its first line, until the bundle stops. */
    public void followBundleLogs(String slug, Consumer<String> line) throws InterruptedException {
        backend(find(slug).backend()).followBundleLogs(slug, line);
    }

    /** What gc did: slugs removed, and slugs left alone with the home their resources name ("unknown"). */
    public record Collected(List<String> removed, java.util.Map<String, String> leftAlone) {
        public Collected {
            removed = List.copyOf(removed);
            leftAlone = java.util.Map.copyOf(leftAlone);
        }
    }

    /**
     * Removes every resource of this state home whose bottle has no owner any more (no record, or
     * its CLI died), and the records of such bottles. Resources another home launched are its
     * bottles, running or not: they are listed and left alone, unless {@code everyHome} says to
     * remove them too.
     */
    public Collected gc(boolean everyHome) {
        List<String> removed = new ArrayList<>();
        java.util.Map<String, String> leftAlone = new java.util.TreeMap<>();
        java.nio.file.Path home = paths.home().toAbsolutePath().normalize();
        for (Owned<Backend> b : backends.get()) {
            for (String slug : b.value().bottles()) {
                Optional<java.nio.file.Path> launchedBy = b.value().home(slug);
                if (!launchedBy.map(home::equals).orElse(false) && !everyHome) {
                    leftAlone.put(slug, launchedBy.map(java.nio.file.Path::toString).orElse("unknown"));
                    continue;
                }
                Optional<BottleRecord> record = store.read(paths.bottleDir(slug));
                if (record.isEmpty() || !record.get().owned()) {
                    b.value().remove(slug);
                    delete(slug);
                    store.lifecycle(paths.recordDir(slug), slug, "stop", "removed by bottle gc", events);
                    removed.add(slug);
                }
            }
        }
        for (BottleRecord r : store.all(paths.bottlesDir())) {
            if (!r.owned() && !removed.contains(r.slug())) {
                delete(r.slug());
                removed.add(r.slug());
            }
        }
        return new Collected(removed, leftAlone);
    }

    private Backend backend(String name) {
        return BackendSelector.select(name, backends.get()).value();
    }

    private void delete(String slug) {
        try {
            store.delete(paths.bottleDir(slug));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the state of bottle " + slug, e);
        }
    }
}
