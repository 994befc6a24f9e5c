package dev.claudebottle.warm;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.kernel.Kernel;
import dev.claudebottle.kernel.SlugGenerator;
import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.kernel.plan.LaunchPlanner;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.kernel.run.Session;
import dev.claudebottle.manifest.Agents;
import dev.claudebottle.manifest.ManifestLocator;
import dev.claudebottle.manifest.RouteResolver;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The warm bottles of a state home: {@link #fill} starts copies of a bottle ahead of any launch,
 * each launched by the same plan a launch makes, with every credential withheld, verified, and left
 * running in the pool ({@link WarmMarks}); {@link Claims} hands one to a launch. A warm bottle is a
 * bottle like any other for {@code bottle ls}, {@code stop} and {@code gc}; {@link #collect} also
 * removes those whose manifest is gone or changed.
 */
public final class WarmPool {
    /** The manifest key that says how many copies to keep. */
    public static final String KEY = "warm";
    /** The state a warm bottle's record is in. */
    public static final String STATE = "warm";
    /** A warm bottle older than this is never claimed, and fill and gc remove it. */
    static final java.time.Duration MAX_AGE = java.time.Duration.ofHours(24);
    private final Kernel kernel;
    private final HostEnvironment env;
    private final EventSink events;
    private final BottleStore store = new BottleStore();

    /** The pool of {@code kernel}'s state home; route values are decided from {@code env}. */
    public WarmPool(Kernel kernel, HostEnvironment env, EventSink events) {
        this.kernel = kernel;
        this.env = env;
        this.events = events;
    }

    /**
     * A warm bottle.
     *
     * @param slug  its name
     * @param key   what it was made for
     * @param made  when it went into the pool
     */
    public record Warm(String slug, WarmKey key, Instant made) {
    }

    /** The bottles in the pool, oldest first. */
    public List<Warm> list() {
        List<Warm> out = new ArrayList<>();
        for (Path dir : stateDirs()) {
            new WarmMarks(dir).warm().ifPresent(w -> out.add(new Warm(dir.getFileName().toString(), w.key(),
                    w.made())));
        }
        out.sort(Comparator.comparing(Warm::made));
        return out;
    }

    /**
     * Tops the pool of {@code agent}'s bottle up to {@code count} copies, or to the manifest's
     * {@code warm} when no count is given, after removing the copies made from an older text of the
     * same manifest; returns the slugs it started.
     */
    public List<String> fill(String agent, Optional<Path> manifestFile, Optional<String> backendFlag,
                             OptionalInt count) {
        // one fill at a time in a state home, so that two refills after two claims do not both top it up
        return underFillLock(() -> fillLocked(agent, manifestFile, backendFlag, count));
    }

    /** Runs {@code work} while no fill runs in this state home, and none starts. */
    private <T> T underFillLock(java.util.function.Supplier<T> work) {
        Path lock = kernel.paths().home().resolve("warm.lock");
        try {
            Files.createDirectories(lock.getParent());
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = channel.tryLock();
                if (held == null) {
                    events.lifecycle("waiting for the warm fill under way in " + kernel.paths().home() + " to end");
                    held = channel.lock();
                }
                try (FileLock h = held) {
                    return work.get();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lock, e);
        }
    }

    private List<String> fillLocked(String agent, Optional<Path> manifestFile, Optional<String> backendFlag,
                                    OptionalInt count) {
        recover();
        String text = text(manifestFile);
        Manifest manifest = kernel.manifest(manifestFile);
        AgentDef def = Agents.find(manifest, agent);
        BottleDef bottle = manifest.bottles().get(def.bottle());
        int wanted = count.orElseGet(() -> bottle.section(KEY, Integer.class).orElse(0));
        Owned<Backend> backend = kernel.backend(backendFlag);
        WarmKey key = key(text, manifest, agent, backend, new RouteResolver(env, events).withheld()
                .resolve(bottle.egress().routes()));
        if (!text.equals(text(manifestFile))) {
            throw new BadInputException("manifest " + manifest.source() + " changed while it was read",
                    "fill the pool again once it is saved");
        }
        for (Warm stale : list().stream().filter(w -> w.key().sameSource(key) && !w.key().equals(key)
                || old(w)).toList()) {
            take(stale.slug(), "made from another text of " + key.manifest() + ", or older than "
                    + MAX_AGE.toHours() + " hours");
        }
        long have = list().stream().filter(w -> w.key().equals(key)).count();
        List<String> made = new ArrayList<>();
        for (long i = have; i < wanted; i++) {
            made.add(make(manifest, agent, backend, key));
        }
        return made;
    }

    /** Removes the warm bottles of {@code agent} (every agent's when empty); returns their slugs. */
    public List<String> drain(Optional<String> agent) {
        recover();
        List<String> removed = new ArrayList<>();
        for (Warm w : list()) {
            if (agent.map(w.key().agent()::equals).orElse(true) && take(w.slug(), "drained")) {
                removed.add(w.slug());
            }
        }
        return removed;
    }

    /**
     * What {@code bottle gc} adds for warm bottles: claims whose process died are settled, and warm
     * bottles whose manifest is gone or reads differently now are removed; returns the slugs removed.
     */
    public List<String> collect() {
        // a fill between its bottle's record and its mark is not a fill that died
        return underFillLock(this::collectLocked);
    }

    private List<String> collectLocked() {
        recover();
        List<String> removed = new ArrayList<>();
        for (BottleRecord r : kernel.bottles().list()) {
            Path dir = kernel.paths().bottleDir(r.slug());
            if (!warm(r) || Files.exists(dir.resolve(WarmMarks.WARM))) {
                continue;
            }
            // read again under its lock: a claim that just ended made it a launched bottle
            try (WarmMarks marks = new WarmMarks(dir)) {
                boolean locked = marks.settle() || !Files.exists(dir.resolve(WarmMarks.LOCK));
                if (locked && store.read(dir).filter(WarmPool::warm).isPresent() && marks.claim().isEmpty()
                        && !Files.exists(dir.resolve(WarmMarks.WARM))) {
                    remove(r.slug(), "the fill that made it ended before it went into the pool");
                    removed.add(r.slug());
                }
            }
        }
        for (Warm w : list()) {
            if ((old(w) || !current(w.key())) && take(w.slug(), "its manifest " + w.key().manifest() + " is gone or changed, "
                    + "or it is older than " + MAX_AGE.toHours() + " hours")) {
                removed.add(w.slug());
            }
        }
        return removed;
    }

    /** The text of the manifest a launch reads. */
    String text(Optional<Path> manifestFile) {
        return new ManifestLocator(kernel.paths().workingDir(), kernel.paths().home()).locate(manifestFile).text();
    }

    /**
     * The key of a launch of {@code agent} from {@code manifest}, read from {@code text}, with the
     * routes that apply to it, and what else of the host shapes a bottle: the guest home, where the
     * record is exported, and the build of the distribution (its jars and plugins).
     */
    WarmKey key(String text, Manifest manifest, String agent, Owned<Backend> backend, List<CredentialRoute> routes) {
        List<String> facts = new ArrayList<>(routes.stream().map(r -> r.bundleEnv() + "=" + r.route().label())
                .toList());
        facts.add("guest_home=" + kernel.paths().guestHome());
        for (String variable : HOST_SETTINGS) {
            facts.add(variable + "=" + env.get(variable).orElse(""));
        }
        facts.add("build=" + listing(kernel.paths().distribution().map(d -> List.of(d.resolve("lib"),
                d.resolve("plugins"))).orElse(List.of()), false));
        facts.add("plugins=" + listing(List.of(kernel.paths().pluginsDir()), false));
        AgentDef def = Agents.find(manifest, agent);
        List<Path> read = new ArrayList<>(def.skills());
        def.promptFile().ifPresent(read::add);
        read.addAll(manifest.bottles().get(def.bottle()).egress().upstreamCa());
        read.add(dev.claudebottle.contract.HostCas.DIR);
        facts.add("files=" + listing(read, true));
        return WarmKey.of(agent, manifest.source(), text, backend.value().name(), facts);
    }

    /**
     * The host's settings that shape a bottle beside its manifest: the images it runs, where its
     * bundle goes out, and where its record is exported.
     */
    private static final List<String> HOST_SETTINGS = List.of("CLAUDE_BOTTLE_IMAGE", "CLAUDE_BOTTLE_BUNDLE_IMAGE",
            "CLAUDE_BOTTLE_EGRESS_NETWORK", "CLAUDE_BOTTLE_OTLP_ENDPOINT", "CLAUDE_BOTTLE_BACKEND");

    /**
     * A digest of the files under {@code roots} (files or folders; missing ones count as missing):
     * by name, size and time, or by {@code content}. Another build, another plugin, another prompt or
     * CA makes other bottles.
     */
    private static String listing(List<Path> roots, boolean content) {
        StringBuilder listing = new StringBuilder();
        for (Path root : roots) {
            listing.append(root).append(":\n");
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    listing.append(root.relativize(f)).append(' ').append(Files.size(f)).append(' ');
                    listing.append(content ? WarmKey.of("", "", Files.readString(f,
                            java.nio.charset.StandardCharsets.ISO_8859_1), "", List.of()).digest()
                            : Files.getLastModifiedTime(f).toMillis()).append('\n');
                }
            } catch (IOException e) {
                listing.append("unreadable: ").append(e.getClass().getSimpleName()).append('\n');
            }
        }
        return WarmKey.of("", "", listing.toString(), "", List.of()).digest();
    }

    /**
     * Settles claims whose process died (nobody holds their lock): one that gave the bottle nothing
     * puts it back into the pool; one that began to give it values removes it, since nobody holds
     * the bottle it was binding and it may hold a credential now.
     */
    void recover() {
        for (Path dir : stateDirs()) {
            if (!Files.exists(dir.resolve(WarmMarks.CLAIM))) {
                continue;
            }
            String slug = dir.getFileName().toString();
            try (WarmMarks marks = new WarmMarks(dir)) {
                if (!marks.settle()) {
                    continue; // a claim under way
                }
                Optional<WarmMarks.Claim> claim = marks.claim();
                if (claim.isEmpty()) {
                    continue;
                }
                if (claim.get().bound()) {
                    try {
                        remove(slug, "the launch that claimed it ended while it gave it its values");
                    } catch (RuntimeException e) {
                        // it stays out of the pool, claimed; the next settling removes it
                        events.warn("warm bottle " + slug + ", whose claim ended while it was given its values, "
                                + "could not be removed (" + e.getMessage() + "): bottle stop " + slug);
                    }
                } else {
                    marks.release();
                    events.debug("warm bottle " + slug + " is back in the pool: its claim ended before it was "
                            + "given anything");
                }
            }
        }
    }

    private String make(Manifest manifest, String agent, Owned<Backend> backend, WarmKey key) {
        SlugGenerator slugs = new SlugGenerator();
        String slug = slugs.next(agent);
        while (Files.exists(kernel.paths().bottleDir(slug)) || Files.exists(kernel.paths().recordDir(slug))) {
            slug = slugs.next(agent);
        }
        LaunchPlan plan = new LaunchPlanner(new RouteResolver(env, events).withheld()).plan(new LaunchPlanner.Input(
                manifest, agent, slug, kernel.paths().bottleDir(slug), Optional.empty(), false,
                kernel.paths().guestHome(), backend, kernel.plugins().provisioners()));
        refuseCredentials(plan);
        Path stateDir = plan.spec().stateDir();
        try (Session session = Session.open(plan, events)) {
            // a backend that cannot give a bottle its values late keeps none warm: this one goes again
            backend.value().bind(slug, List.of());
            store.read(stateDir).ifPresent(r -> store.write(stateDir, r.withState(STATE)));
            session.detach();
        }
        store.lifecycle(plan.spec().recordDir(), slug, "warm", "kept ready for a launch of " + agent
                + ", with no credential", events);
        // into the pool last: a claim may take it from this moment
        new WarmMarks(stateDir).warm(key, Instant.now());
        events.lifecycle("warm bottle " + slug + " is ready for a launch of " + agent);
        return slug;
    }

    /**
     * The bundle's mounts known to hold no credential, each by the one that mounts it: its policy, its
     * CA, its base files, its record, its approval queue and its git mirrors. Any other (an identity
     * file, the sign-in folder, a third party's, or one of these paths mounted by another) may.
     */
    private static final java.util.Map<String, String> HOLD_NO_CREDENTIAL = java.util.Map.of(
            BundleLayout.POLICY_DIR, "provision-gateway", BundleLayout.CA_DIR, "provision-ca",
            BundleLayout.BASE_DIR, LaunchPlanner.KERNEL, BundleLayout.AUDIT_DIR, LaunchPlanner.KERNEL,
            BundleLayout.APPROVAL_QUEUE_DIR, LaunchPlanner.KERNEL, BundleLayout.GIT_DATA_DIR, "provision-git");

    /**
     * A warm bottle never holds a credential before it is claimed: a plan that would give its bundle
     * one at creation (a git token, any mount but those known to hold none) cannot be kept warm.
     */
    static void refuseCredentials(LaunchPlan plan) {
        String bottle = plan.spec().bottle().name();
        for (Owned<BundleEnv> e : plan.bundleEnv()) {
            if (e.value().secret().filter(v -> !v.isEmpty()).isPresent()) {
                throw new BadInputException("bottle '" + bottle + "' cannot be kept warm: " + e.pluginId()
                        + " gives its bundle a credential (" + e.value().name() + ") when it is created",
                        "set warm: 0 on it; only route values are given late, when a warm bottle is claimed");
            }
        }
        for (Owned<BundleMount> m : plan.bundleMounts()) {
            String at = m.value().bundlePath();
            if (!m.pluginId().equals(HOLD_NO_CREDENTIAL.get(at))) {
                throw new BadInputException("bottle '" + bottle + "' cannot be kept warm: " + m.pluginId()
                        + " mounts " + at + " into its bundle when it is created, which may hold a credential",
                        "set warm: 0 on it; only route values are given late, when a warm bottle is claimed");
            }
        }
    }

    private boolean current(WarmKey key) {
        if (!key.manifest().equals(ManifestLocator.EMBEDDED) && !Files.isRegularFile(Path.of(key.manifest()))) {
            return false;
        }
        try {
            Optional<Path> file = key.manifest().equals(ManifestLocator.EMBEDDED) ? Optional.empty()
                    : Optional.of(Path.of(key.manifest()));
            Manifest manifest = kernel.manifest(file);
            BottleDef bottle = manifest.bottles().get(Agents.find(manifest, key.agent()).bottle());
            return key(text(file), manifest, key.agent(), kernel.backend(Optional.of(key.backend())),
                    new RouteResolver(env, e -> { }).withheld().resolve(bottle.egress().routes())).equals(key);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Takes a bottle out of the pool and removes it; false when a launch claimed it first. */
    private boolean take(String slug, String why) {
        try (WarmMarks marks = new WarmMarks(kernel.paths().bottleDir(slug))) {
            if (!marks.take()) {
                return false;
            }
            remove(slug, why);
            return true;
        }
    }

    /** Whether a warm bottle is too old to be claimed: its CA and its images age. */
    static boolean old(Warm w) {
        return w.made().isBefore(Instant.now().minus(MAX_AGE));
    }

    /** Removes a bottle this process took out of the pool. */
    void remove(String slug, String why) {
        events.lifecycle("removing warm bottle " + slug + ": " + why);
        Path dir = kernel.paths().bottleDir(slug);
        if (store.read(dir).isPresent()) {
            kernel.bottles().stop(slug);
            return;
        }
        // its record went first: what is left of its state goes too, and gc sweeps its containers by label
        try {
            store.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the state of warm bottle " + slug, e);
        }
    }

    /** The state dirs of the bottles in the pool or being claimed, read from the state home alone. */
    List<Path> stateDirs() {
        Path bottles = kernel.paths().bottlesDir();
        if (!Files.isDirectory(bottles)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(bottles)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(WarmMarks.WARM))
                    || Files.isRegularFile(d.resolve(WarmMarks.CLAIM))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + bottles, e);
        }
    }

    /**
     * Takes bottle {@code slug} out of the pool for good if it is warm, before anything is run in it
     * by hand ({@code bottle exec}, {@code bottle resume}): a warm bottle is claimed only while nothing
     * has run in its guest. It stays, as a detached bottle with no credential.
     */
    public void leave(String slug) {
        Path dir = kernel.paths().bottleDir(slug);
        if (store.read(dir).filter(WarmPool::warm).isEmpty()) {
            return;
        }
        try (WarmMarks marks = new WarmMarks(dir)) {
            if (!marks.take()) {
                throw new BadInputException("warm bottle " + slug + " is being claimed by a launch",
                        "bottle ls shows what it is once the launch has it");
            }
            store.read(dir).ifPresent(r -> store.write(dir, r.withState("running").detached()));
            marks.claimed();
        }
        store.lifecycle(kernel.paths().recordDir(slug), slug, "leave", "out of the warm pool: a command is run in "
                + "it by hand", events);
        events.warn("warm bottle " + slug + " leaves the pool: a command run in it by hand means no launch may be "
                + "handed it; it runs detached, with no credential, until bottle stop " + slug);
    }

    /** Whether {@code record} is a warm bottle's. */
    public static boolean warm(BottleRecord record) {
        return STATE.equals(record.state());
    }
}
