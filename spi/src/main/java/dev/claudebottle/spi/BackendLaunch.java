package dev.claudebottle.spi;

import java.util.List;

/**
 * One launch as a backend realises it: the {@link Phase#LAUNCH} steps that create the bottle,
 * and, once they ran, the guest and the resolved endpoints.
 */
public interface BackendLaunch {
    /**
     * The steps that create network, bundle and guest, each with its undo, in {@link Phase#LAUNCH};
     * waits that can overlap provisioning (the bundle becoming ready) may be {@link Phase#FINISH}.
     */
    List<Step> steps();

    /** The running guest; fails before the steps ran. */
    Guest guest();

    /** Where the guest reaches the named port; fails before the bundle runs. */
    Endpoint endpoint(String portName);

    /**
     * Removes everything this launch created, whichever step it reached, including resources of a
     * step still running. The kernel runs it last when a bottle is torn down.
     */
    void removeAll();
}
