package dev.claudebottle.pluginhost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginWrapper;

/**
 * PF4J's manager with two changes: a plugin that fails to load is recorded (path, id if known,
 * reason) and skipped instead of only logged, and extensions come from the given factory.
 */
final class BottlePluginManager extends DefaultPluginManager {
    private final List<PluginFailure> failures = new ArrayList<>();
    private final Function<Path, PluginSource> sourceOf;
    private ExtensionFactory factory;

    BottlePluginManager(List<Path> roots, Function<Path, PluginSource> sourceOf) {
        super(roots);
        this.sourceOf = sourceOf;
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    void useExtensionFactory(ExtensionFactory extensionFactory) {
        this.factory = extensionFactory;
    }

    @Override
    public ExtensionFactory getExtensionFactory() {
        return factory != null ? factory : super.getExtensionFactory();
    }

    List<PluginFailure> failures() {
        return List.copyOf(failures);
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            return super.loadPluginFromPath(pluginPath);
        } catch (RuntimeException | LinkageError e) {
            failures.add(new PluginFailure(pluginPath, descriptorId(pluginPath), reason(e), sourceOf.apply(pluginPath)));
            return null;
        }
    }

    @Override
    protected void resolvePlugins() {
        List<PluginWrapper> before = new ArrayList<>(getPlugins());
        super.resolvePlugins();
        for (PluginWrapper plugin : before) {
            if (getPlugin(plugin.getPluginId()) == null) {
                failures.add(new PluginFailure(plugin.getPluginPath(), Optional.of(plugin.getPluginId()),
                        "its dependencies " + plugin.getDescriptor().getDependencies() + " could not be resolved",
                        sourceOf.apply(plugin.getPluginPath())));
            }
        }
    }

    private Optional<String> descriptorId(Path pluginPath) {
        try {
            PluginDescriptor d = getPluginDescriptorFinder().find(pluginPath);
            return Optional.ofNullable(d.getPluginId()).filter(s -> !s.isBlank());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null) {
            message += " (" + root.getMessage() + ")";
        }
        return message.lines().findFirst().orElse(message);
    }
}
