package dev.claudebottle.pluginhost;

import com.google.inject.Injector;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.command.PluginCommand;
import dev.claudebottle.spi.manifest.ManifestSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The loaded plugins: bundled ones from the distribution plus every jar, zip or folder in the
 * plugins dir. Broken plugins are reported through events with id and path, and skipped.
 * Extensions are queried per plugin, so classes on the application class path never count.
 */
public final class PluginCatalog {
    /** Each extension point by the kind {@code bottle plugins} calls it. */
    private static final List<Map.Entry<String, Class<?>>> KINDS = List.of(Map.entry("backend", Backend.class),
            Map.entry("provisioner", Provisioner.class), Map.entry("manifest-section", ManifestSection.class),
            Map.entry("command", PluginCommand.class));
    private final BottlePluginManager manager;
    private final List<PluginInfo> plugins;
    private final List<PluginFailure> failures;

    private PluginCatalog(BottlePluginManager manager, List<PluginInfo> plugins, List<PluginFailure> failures) {
        this.manager = manager;
        this.plugins = plugins;
        this.failures = failures;
    }

    /** Loads and starts every plugin in the distribution's folder ({@code bundled}) and the plugins dir. */
    public static PluginCatalog load(Optional<Path> bundled, Path droppedIn, Injector injector, EventSink events) {
        List<Path> roots = new ArrayList<>();
        bundled.filter(Files::isDirectory).ifPresent(roots::add);
        if (Files.isDirectory(droppedIn) && !roots.contains(droppedIn)) {
            roots.add(droppedIn);
        }
        BottlePluginManager manager = new BottlePluginManager(roots,
                p -> bundled.isPresent() && p.toAbsolutePath().startsWith(bundled.get())
                        ? PluginSource.BUNDLED : PluginSource.DROPPED_IN);
        manager.useExtensionFactory(new GuiceExtensionFactory(injector));
        List<PluginFailure> failures = new ArrayList<>();
        if (!roots.isEmpty()) {
            manager.loadPlugins();
            manager.startPlugins();
        }
        failures.addAll(manager.failures());
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            PluginSource source = bundled.isPresent() && w.getPluginPath().toAbsolutePath().startsWith(bundled.get())
                    ? PluginSource.BUNDLED : PluginSource.DROPPED_IN;
            if (w.getPluginState() != PluginState.STARTED) {
                Throwable cause = w.getFailedException();
                failures.add(new PluginFailure(w.getPluginPath(), Optional.of(w.getPluginId()),
                        "it did not start" + (cause != null ? ": " + cause : " (state " + w.getPluginState() + ")"),
                        source));
                continue;
            }
            List<String> kinds = new ArrayList<>();
            for (Map.Entry<String, Class<?>> kind : KINDS) {
                if (!manager.getExtensionClasses(kind.getValue(), w.getPluginId()).isEmpty()) {
                    kinds.add(kind.getKey());
                }
            }
            var d = w.getDescriptor();
            infos.add(new PluginInfo(w.getPluginId(), d.getVersion(),
                    d.getPluginDescription() == null ? "" : d.getPluginDescription(), kinds, source,
                    w.getPluginPath()));
        }
        infos.sort(Comparator.comparing(PluginInfo::source).thenComparing(PluginInfo::id));
        for (PluginFailure f : failures) {
            events.warn(f.label() + " was skipped: " + f.reason());
        }
        return new PluginCatalog(manager, List.copyOf(infos), List.copyOf(failures));
    }

    /** The plugins that loaded, bundled first, each group by id. */
    public List<PluginInfo> plugins() {
        return plugins;
    }

    /** The plugins that were skipped. */
    public List<PluginFailure> failures() {
        return failures;
    }

    /** Every backend with its plugin id, in plugin order. */
    public List<Owned<Backend>> backends() {
        return extensions(Backend.class);
    }

    /** Every manifest section with its plugin id, in plugin order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<Owned<ManifestSection<?>>> sections() {
        return (List) extensions(ManifestSection.class);
    }

    /** Every contributed {@code bottle} subcommand with its plugin id, in plugin order. */
    public List<Owned<PluginCommand>> commands() {
        return extensions(PluginCommand.class);
    }

    /** Every provisioner with its plugin id, in plugin order. */
    public List<Owned<Provisioner>> provisioners() {
        return extensions(Provisioner.class);
    }

    private <T> List<Owned<T>> extensions(Class<T> type) {
        List<Owned<T>> out = new ArrayList<>();
        for (PluginInfo info : plugins) {
            try {
                for (T extension : manager.getExtensions(type, info.id())) {
                    out.add(new Owned<>(info.id(), extension));
                }
            } catch (RuntimeException | LinkageError e) {
                throw new BottleException("plugin '" + info.id() + "' at " + info.path()
                        + " could not create its " + type.getSimpleName() + ": " + e.getMessage(),
                        "remove it from the plugins dir or fix its constructor", e);
            }
        }
        return out;
    }
}
