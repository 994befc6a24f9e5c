package dev.claudebottle.warm;

import dev.claudebottle.kernel.Kernel;
import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.kernel.plan.LaunchPlanner;
import dev.claudebottle.kernel.plan.PlanRequest;
import dev.claudebottle.kernel.run.BottleHandle;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.kernel.run.Probes;
import dev.claudebottle.kernel.run.Teardown;
import dev.claudebottle.kernel.run.UndoStack;
import dev.claudebottle.manifest.Agents;
import dev.claudebottle.manifest.RouteResolver;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.AlertAction;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Hands a launch a warm bottle made for exactly it, instead of starting one: takes it out of the
 * pool (one process only can), plans the launch again for it with the real route values, gives its
 * bundle those values, runs every probe of the plan again, and records it as this command's bottle.
 * A launch with {@code --cwd}, {@code --learn} or {@code --insecure-egress} is never served warm;
 * nor is one whose key differs in any part. A warm bottle whose probes miss is removed and the
 * launch goes on cold.
 */
public final class Claims {
    private final Kernel kernel;
    private final HostEnvironment env;
    private final EventSink events;
    private final WarmPool pool;
    private final BottleStore store = new BottleStore();

    /** Claims from the pool of {@code kernel}'s state home; route values come from {@code env}. */
    public Claims(Kernel kernel, HostEnvironment env, EventSink events) {
        this.kernel = kernel;
        this.env = env;
        this.events = events;
        this.pool = new WarmPool(kernel, env, events);
    }

    /**
     * Whether any bottle waits in the pool, or a claim left by a process that died waits to be settled:
     * read from the state dirs alone, without loading a plugin.
     */
    public boolean any() {
        try {
            return !pool.stateDirs().isEmpty();
        } catch (java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** A warm bottle claimed for {@code request}, bound and verified; empty when none fits. */
    public Optional<Claimed> claim(PlanRequest request) {
        if (request.cwd().isPresent() || request.learn() || request.insecureEgress() || !any()) {
            return Optional.empty();
        }
        try {
            return claimed(request);
        } catch (RuntimeException e) {
            // nothing of this launch's was given to a bottle here: a bottle of its own serves it
            events.warn("no warm bottle could be claimed (" + e.getMessage() + "); a bottle is started instead");
            return Optional.empty();
        }
    }

    private Optional<Claimed> claimed(PlanRequest request) {
        long began = System.nanoTime();
        pool.recover();
        String text = pool.text(request.manifest());
        Manifest manifest = kernel.manifest(request.manifest());
        AgentDef agent = Agents.find(manifest, request.agent());
        BottleDef bottle = manifest.bottles().get(agent.bottle());
        Owned<Backend> backend = kernel.backend(request.backend());
        RouteResolver resolver = new RouteResolver(env, events);
        // which routes apply, for the key: what the plan's resolution below says of them is said once, there
        List<CredentialRoute> routes = new RouteResolver(env, e -> { }).withheld().resolve(bottle.egress().routes());
        WarmKey key = pool.key(text, manifest, request.agent(), backend, routes);
        if (!text.equals(pool.text(request.manifest()))) {
            return Optional.empty(); // edited while it was read: which text the manifest is now is not known
        }
        events.debug("claim: manifest read and plugins loaded in " + (System.nanoTime() - began) / 1_000_000 + " ms");
        for (WarmPool.Warm w : pool.list()) {
            if (!w.key().equals(key) || WarmPool.old(w)) {
                continue;
            }
            try (WarmMarks marks = new WarmMarks(kernel.paths().bottleDir(w.slug()))) {
                if (!marks.take()) {
                    continue; // another launch took it first
                }
                try {
                    Optional<Claimed> claimed = bind(w.slug(), w.made(), marks, manifest, request.agent(), backend,
                            resolver, bottle);
                    if (claimed.isPresent()) {
                        return claimed;
                    }
                } catch (RuntimeException e) {
                    boolean given = marks.claim().map(WarmMarks.Claim::bound).orElse(true);
                    if (!given) {
                        marks.release();
                    }
                    events.warn("the claim of warm bottle " + w.slug() + " failed (" + e.getMessage() + "); "
                            + (given ? "it was removed" : "it is back in the pool") + ", and a bottle is started "
                            + "instead");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A claim: the bottle, and whether the pool it came from is to be filled again ({@code warm} on
     * its bottle is above zero).
     *
     * @param bottle the claimed bottle
     * @param refill whether to fill the pool again
     */
    public record Claimed(BottleHandle bottle, boolean refill) {
    }

    private Optional<Claimed> bind(String slug, Instant made, WarmMarks marks, Manifest manifest, String agent,
                                   Owned<Backend> backend, RouteResolver resolver, BottleDef bottle) {
        Path stateDir = kernel.paths().bottleDir(slug);
        Optional<BottleRecord> record = store.read(stateDir).filter(WarmPool::warm).filter(r -> r.owner() == 0);
        Optional<Guest> guest = record.flatMap(r -> backend.value().guest(slug, r.guestHome()));
        if (guest.isEmpty()) {
            marks.claimed();
            events.lifecycle("removing warm bottle " + slug + ": it is not a warm bottle that runs any more");
            stopQuietly(slug);
            return Optional.empty();
        }
        long began = System.nanoTime();
        LaunchPlan plan = new LaunchPlanner(resolver).plan(new LaunchPlanner.Input(manifest, agent, slug, stateDir,
                Optional.empty(), false, record.get().guestHome(), backend, kernel.plugins().provisioners()));
        events.debug("claim of " + slug + ": planned in " + (System.nanoTime() - began) / 1_000_000 + " ms");
        // from here on it may hold a credential: Ctrl-C, SIGTERM or a failure removes it, never the pool
        UndoStack undo = new UndoStack(events);
        undo.push("bottle " + slug, () -> stopQuietly(slug));
        Teardown teardown = new Teardown(undo);
        boolean handed = false;
        try {
            marks.binding();
            backend.value().bind(slug, secrets(plan));
            events.debug("claim of " + slug + ": values given in " + (System.nanoTime() - began) / 1_000_000 + " ms");
            List<Probes.Outcome> probes = Probes.verify(fence(plan), guest.get(), events);
            List<Probes.Outcome> missed = probes.stream().filter(o -> !o.result().held()).toList();
            if (!missed.isEmpty()) {
                events.warn("warm bottle " + slug + " is removed: its fence did not hold when claimed ("
                        + String.join("; ", missed.stream().map(o -> o.probe().value().id() + ": "
                        + o.result().saw()).toList()) + "); starting a bottle instead");
                return Optional.empty();
            }
            BottleRecord r = record.get();
            store.write(stateDir, new BottleRecord(slug, r.agent(), r.bottle(), r.backend(), r.manifest(), "running",
                    Instant.now(), r.guestHome(), ProcessHandle.current().pid(), plan.spec().agent().command()));
            marks.claimed();
            long millis = (System.nanoTime() - began) / 1_000_000;
            String verified = "the fence's " + probes.size() + " probes in " + millis + " ms (every probe held when "
                    + "it was made, " + Duration.between(made, Instant.now()).toSeconds() + " s ago)";
            store.lifecycle(plan.spec().recordDir(), slug, "claim", "claimed warm for a launch of " + agent
                    + "; its values given; isolation verified again: " + verified, events);
            events.lifecycle("claimed warm bottle " + slug + "; isolation verified again: " + verified);
            handed = true;
            return Optional.of(new Claimed(new ClaimedBottle(slug, stateDir, guest.get(), probes,
                    plan.spec().agent().command(), bottle.egress().onAlert() == AlertAction.STOP, kernel.bottles(),
                    teardown, events), bottle.section(WarmPool.KEY, Integer.class).orElse(0) > 0));
        } finally {
            teardown.settled();
            if (!handed) {
                teardown.finish(false);
            }
        }
    }

    private void stopQuietly(String slug) {
        try {
            kernel.bottles().stop(slug);
        } catch (dev.claudebottle.spi.BadInputException goneAlready) {
            events.debug("bottle " + slug + " was stopped already");
        }
    }

    /**
     * {@code plan} with the backend's probes alone: the fence's structure (its network, its routes,
     * its firewall), which is what a claim checks again. Every probe held when the bottle was made,
     * and nothing has run in its guest since.
     */
    static LaunchPlan fence(LaunchPlan plan) {
        return new LaunchPlan(plan.spec(), plan.manifest(), plan.backend(), plan.backendPlugin(), plan.daemons(),
                plan.ports(), plan.bundleMounts(), plan.bundleEnv(), plan.guestEnv(), plan.request(),
                plan.steps().stream().filter(s -> s.pluginId().equals(plan.backendPlugin())).toList());
    }

    /** The secret entries of {@code plan}'s bundle env. */
    static List<BundleEnv> secrets(LaunchPlan plan) {
        return plan.bundleEnv().stream().map(Owned::value).filter(e -> e.secret().isPresent()).toList();
    }
}
