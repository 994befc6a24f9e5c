package dev.claudebottle.pluginhost;

import com.google.inject.Injector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.ExtensionFactory;

/**
 * Creates PF4J extensions through Guice, so plugins get constructor injection of kernel
 * services. One instance per extension class.
 */
final class GuiceExtensionFactory implements ExtensionFactory {
    private final Injector injector;
    private final Map<Class<?>, Object> instances = new ConcurrentHashMap<>();

    GuiceExtensionFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        return extensionClass.cast(instances.computeIfAbsent(extensionClass, injector::getInstance));
    }
}
