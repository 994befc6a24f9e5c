package dev.claudebottle.kernel;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.kernel.plan.LaunchPlanner;
import dev.claudebottle.kernel.plan.PlanRequest;
import dev.claudebottle.kernel.run.BottleHandle;
import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.kernel.run.Probes;
import dev.claudebottle.kernel.run.ResumedBottle;
import dev.claudebottle.kernel.run.Session;
import dev.claudebottle.manifest.Agents;
import dev.claudebottle.manifest.ClaudeSignIn;
import dev.claudebottle.manifest.ManifestLocator;
import dev.claudebottle.manifest.SignInGuard;
import dev.claudebottle.manifest.ManifestReader;
import dev.claudebottle.manifest.ManifestSource;
import dev.claudebottle.manifest.RouteResolver;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.pluginhost.PluginCatalog;
import dev.claudebottle.pluginhost.PluginFailure;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.contract.HostCas;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.manifest.Manifest;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's front door for the CLI: plans a launch, starts, resumes and verifies bottles, lists
 * and stops them ({@link Bottles}), and runs doctor. It decides when plugins load (on first use, so
 * {@code --version} loads none) and what they may inject ({@link KernelModule}); loading them is the
 * plugin host's (decision 0010), and reading a manifest the {@code manifest} module's, given every
 * plugin's section (decision 0009). Features (the gateway, Claude Code, supervise) are plugins.
 */
public final class Kernel implements AutoCloseable {
    private final KernelPaths paths;
    private final HostEnvironment env;
    private final EventSink events;
    private final SlugGenerator slugs = new SlugGenerator();
    private PluginCatalog catalog;

    /** A kernel over the given paths, env and event sink. */
    public Kernel(KernelPaths paths, HostEnvironment env, EventSink events) {
        this.paths = paths;
        this.env = env;
        this.events = events;
    }

    /** The paths in use. */
    public KernelPaths paths() {
        return paths;
    }

    /** The manifests as plugins' commands see them, for host commands that answer through the same board. */
    public dev.claudebottle.spi.Manifests manifests() {
        return new KernelManifests(this);
    }

    /** The loaded plugins, loading them on first call. */
    public synchronized PluginCatalog plugins() {
        if (catalog == null) {
            Injector injector = Guice.createInjector(new KernelModule(paths, env, events,
                    new KernelManifests(this)));
            catalog = PluginCatalog.load(paths.bundledPluginsDir(), paths.pluginsDir(), injector, events);
        }
        return catalog;
    }

    /**
     * Releases what the loaded backends hold (their engine connections); a backend that fails to
     * is reported at debug level, since the command's own outcome stands.
     */
    @Override
    public synchronized void close() {
        if (catalog == null) {
            return;
        }
        for (Owned<Backend> b : catalog.backends()) {
            try {
                b.value().close();
            } catch (RuntimeException e) {
                events.debug("backend " + b.pluginId() + " did not close cleanly: " + e.getMessage());
            }
        }
    }

    /**
     * Starts a bottle: plans the launch as {@link #plan} does and runs it; everything is undone if
     * it fails. The bottle is removed when the handle closes, unless it was detached.
     */
    public BottleHandle start(PlanRequest request) {
        return Session.open(plan(request), events);
    }

    /**
     * A running bottle started by another command, to attach to its agent again once its probes
     * held again (a miss is thrown, the bottle left running); closing leaves it running.
     */
    public BottleHandle resume(String slug) {
        BottleRecord record = bottles().find(slug);
        if (record.command().isEmpty()) {
            throw new BadInputException("bottle " + slug + " has no recorded agent command",
                    "use bottle exec " + slug + " -- CMD");
        }
        List<Probes.Outcome> probes = verify(slug);
        List<Probes.Outcome> missed = probes.stream().filter(o -> !o.result().held()).toList();
        if (!missed.isEmpty()) {
            throw new EnvironmentException("the fence of " + slug + " does not hold: " + String.join("; ", missed.stream()
                    .map(o -> o.probe().value().id() + ": " + o.result().saw()).toList()),
                    "the bottle was left running for you to look at: bottle verify " + slug + ", then bottle stop " + slug);
        }
        events.lifecycle("isolation verified again before resuming");
        return new ResumedBottle(slug, bottles().guest(slug), record.command(), probes);
    }

    /** The bottles that exist. */
    public Bottles bottles() {
        return new Bottles(paths, () -> plugins().backends(), events);
    }

    /** Finds, reads and validates the manifest; {@code file} is the {@code -f} argument. */
    public Manifest manifest(Optional<Path> file) {
        ManifestSource source = new ManifestLocator(paths.workingDir(), paths.home()).locate(file);
        events.debug("manifest: " + source.name());
        Manifest manifest = read(source);
        SignInGuard.check(source, manifest, HostCas.DIR);
        return manifest;
    }

    /** Reads and validates a manifest's text with every plugin's section. */
    Manifest read(ManifestSource source) {
        // the reader refuses two sections, or a section and the kernel, reading one key, naming them
        return new ManifestReader(HostCas.DIR, plugins().sections().stream().map(Owned::value).toList())
                .read(source.name(), source.baseDir(), source.text());
    }

    /** The backend a request selects. */
    public Owned<Backend> backend(Optional<String> flag) {
        return BackendSelector.select(BackendSelector.requested(flag, env), plugins().backends());
    }

    /** Plans a launch without touching anything. */
    public LaunchPlan plan(PlanRequest request) {
        Manifest manifest = manifest(request.manifest());
        var agent = Agents.find(manifest, request.agent());
        if (request.learn()) {
            var bottle = manifest.bottles().get(agent.bottle());
            manifest = manifest.withBottle(bottle.withEgress(bottle.egress().withUnknown(UnknownAction.LEARN)));
            events.warn("LEARNING: bottle '" + bottle.name() + "' lets the agent reach every host its manifest does "
                    + "not cover (loopback and metadata addresses excepted), each in the audit log for bottle policy "
                    + "propose; DLP and the tripwire stay on. Do not give it real work or real credentials.");
        }
        Owned<Backend> backend = backend(request.backend());
        String slug = slugs.next(request.agent());
        while (Files.exists(paths.bottleDir(slug)) || Files.exists(paths.recordDir(slug))) {
            slug = slugs.next(request.agent()); // a kept record's name is taken for good
        }
        return new LaunchPlanner(new RouteResolver(env, events)).plan(new LaunchPlanner.Input(manifest, request.agent(),
                slug, paths.bottleDir(slug), request.cwd(), request.insecureEgress(), paths.guestHome(), backend,
                plugins().provisioners()));
    }

    /** Runs the probes of a running bottle again, as its manifest reads today; what missed is reported, not thrown. */
    public List<Probes.Outcome> verify(String slug) {
        BottleRecord record = bottles().find(slug);
        Manifest manifest = manifestOf(record);
        LaunchPlan plan = new LaunchPlanner(RouteResolver.forRunningBottle(env, events)).plan(new LaunchPlanner.Input(
                manifest, record.agent(), slug, paths.bottleDir(slug), Optional.empty(), false, record.guestHome(),
                BackendSelector.select(record.backend(), plugins().backends()), plugins().provisioners()));
        List<Probes.Outcome> outcomes = Probes.verify(plan, bottles().guest(slug), events);
        new BottleStore().lifecycle(paths.recordDir(slug), slug, "verify", outcomes.stream().filter(o -> o.result()
                .held()).count() + " of " + outcomes.size() + " probes held", events);
        return outcomes;
    }

    /** The manifest a bottle was launched from, as it reads now. */
    Manifest manifestOf(BottleRecord record) {
        return record.manifest().equals(ManifestLocator.EMBEDDED) ? read(ManifestLocator.embedded(paths.workingDir()))
                : manifest(Optional.of(Path.of(record.manifest())));
    }

    /** Checks the kernel's and every backend's prerequisites. */
    public DoctorReport doctor(Optional<String> backendFlag) {
        String selected = BackendSelector.requested(backendFlag, env);
        List<DoctorReport.Section> sections = new ArrayList<>();
        sections.add(new DoctorReport.Section("kernel", LaunchPlanner.KERNEL, true, kernelChecks(selected)));
        for (Owned<Backend> b : plugins().backends()) {
            List<Check> checks;
            try {
                checks = b.value().doctor();
            } catch (RuntimeException e) {
                checks = List.of(Check.fail("doctor", "the backend's checks failed: " + e.getMessage(),
                        "report this to the plugin's authors"));
            }
            sections.add(new DoctorReport.Section("backend " + b.value().name(), b.pluginId(),
                    b.value().name().equals(selected), checks));
        }
        return new DoctorReport(selected, sections);
    }

    private List<Check> kernelChecks(String selected) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.ok("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                + ")"));
        Path home = paths.home();
        Path existing = home;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && Files.isWritable(existing)) {
            checks.add(Check.ok("state home", home.toString()));
        } else {
            checks.add(Check.fail("state home", home + " is not writable",
                    "set CLAUDE_BOTTLE_HOME to a writable directory"));
        }
        PluginCatalog c = plugins();
        checks.add(Check.ok("plugins", c.plugins().size() + " loaded from " + paths.bundledPluginsDir()
                .map(Path::toString).orElse("(no bundled plugins dir)") + " and " + paths.pluginsDir()));
        for (PluginFailure f : c.failures()) {
            checks.add(Check.warn("plugin", f.label() + " was skipped: " + f.reason(),
                    "remove or replace the plugin"));
        }
        checks.add(ClaudeSignIn.check(env, java.time.Instant.now()));
        boolean known = c.backends().stream().anyMatch(b -> b.value().name().equals(selected));
        if (known) {
            checks.add(Check.ok("backend", selected));
        } else {
            checks.add(Check.fail("backend", "'" + selected + "' is not a loaded backend",
                    "loaded backends: " + String.join(", ", c.backends().stream()
                            .map(b -> b.value().name()).toList())));
        }
        return checks;
    }
}
