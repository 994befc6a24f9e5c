package dev.claudebottle.spi;

import org.pf4j.ExtensionPoint;

/**
 * Contributes to a launch: bundle daemons, ports, guest env and steps. Implementations are
 * PF4J {@code @Extension} classes created by the kernel's Guice injector, so they may take
 * {@link EventSink} or {@link HostEnvironment} in an {@code @Inject} constructor. A provisioner
 * never talks to another plugin and never knows which backend runs.
 */
public interface Provisioner extends ExtensionPoint {
    /**
     * What this plugin adds to the launch; {@link Contribution#none()} when it does not apply.
     * Must not touch the host or the guest: work belongs in the returned steps.
     */
    Contribution contribute(LaunchSpec spec);
}
