package dev.claudebottle.kernel;

import com.google.inject.AbstractModule;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;

/** What the kernel offers plugins for injection. */
final class KernelModule extends AbstractModule {
    private final KernelPaths paths;
    private final HostEnvironment env;
    private final EventSink events;

    KernelModule(KernelPaths paths, HostEnvironment env, EventSink events) {
        this.paths = paths;
        this.env = env;
        this.events = events;
    }

    @Override
    protected void configure() {
        bind(KernelPaths.class).toInstance(paths);
        bind(BottlePaths.class).toInstance(paths);
        bind(HostEnvironment.class).toInstance(env);
        bind(EventSink.class).toInstance(events);
    }
}
