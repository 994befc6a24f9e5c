package dev.claudebottle.kernel;

import com.google.inject.AbstractModule;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Manifests;

/** What the kernel offers plugins for injection. */
final class KernelModule extends AbstractModule {
    private final KernelPaths paths;
    private final HostEnvironment env;
    private final EventSink events;
    private final Manifests manifests;

    KernelModule(KernelPaths paths, HostEnvironment env, EventSink events, Manifests manifests) {
        this.paths = paths;
        this.env = env;
        this.events = events;
        this.manifests = manifests;
    }

    @Override
    protected void configure() {
        bind(KernelPaths.class).toInstance(paths);
        bind(BottlePaths.class).toInstance(paths);
        bind(HostEnvironment.class).toInstance(env);
        bind(EventSink.class).toInstance(events);
        bind(Manifests.class).toInstance(manifests);
    }
}
