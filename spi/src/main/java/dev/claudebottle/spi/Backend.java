package dev.claudebottle.spi;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Realises bottles on one kind of isolation (Docker containers, smolvm microVMs, pods). Selected by
 * {@code --backend}, else {@code CLAUDE_BOTTLE_BACKEND}, else {@code docker}.
 */
public interface Backend extends ExtensionPoint, AutoCloseable {
    /** What a backend's launch steps produce for the running guest, for provisioning and the agent. */
    ResultKey<Guest> GUEST = new ResultKey<>("guest", Guest.class);

    /** What a backend's launch steps produce for where the guest reaches each bundle port. */
    ResultKey<Endpoints> ENDPOINTS = new ResultKey<>("endpoints", Endpoints.class);

    /** The name users select it by, e.g. {@code docker}. */
    String name();

    /** One line on what it runs bottles on. */
    String description();

    /** Its prerequisites as {@code bottle doctor} shows them. Must not throw. */
    List<Check> doctor();

    /**
     * The steps that create network, bundle and guest for a request, each with its undo, in
     * {@link Phase#LAUNCH}; waits that can overlap provisioning (the bundle becoming ready) may be
     * {@link Phase#FINISH}. Among them they produce {@link #ENDPOINTS} and, by the end of the LAUNCH
     * phase, {@link #GUEST}; results between their own steps travel as {@link ResultKey}s too.
     * Must not touch anything and holds no state: {@code bottle plan} only prints them. A resource
     * a step creates is removed by that step's undo, or by the step itself when it fails after
     * creating it; what a killed CLI left behind is {@code bottle gc}'s, by label.
     */
    List<Step> launchSteps(LaunchRequest request);

    /** The objects a launch of {@code request} would create, for {@code bottle plan}, secret values elided. */
    default java.util.Optional<String> describe(LaunchRequest request) {
        return java.util.Optional.empty();
    }

    /** Builds (or finds, by content tag) the images bottles here run, and pushes them where asked. */
    List<BuiltImage> buildImages(ImageBuildRequest request);

    /** Slugs of the bottles that have resources on this backend, running or left behind. */
    List<String> bottles();

    /**
     * The state home ({@code CLAUDE_BOTTLE_HOME}) that launched a bottle, as its resources record
     * it; empty when they do not (resources of an older release), which gc treats as another home's.
     */
    default java.util.Optional<java.nio.file.Path> home(String slug) {
        return java.util.Optional.empty();
    }

    /** Removes every resource of a bottle; resources already gone are not an error. */
    void remove(String slug);

    /**
     * Gives a running bottle's bundle the secret values of its launch ({@link BundleEnv#secret}), as a
     * warm bottle is given them when claimed, and returns once its daemons read them.
     */
    default void bind(String slug, List<BundleEnv> secrets) {
        throw new EnvironmentException("backend " + name() + " keeps no warm bottles", "set warm: 0 on the bottle");
    }

    /** The running guest of a bottle, if it runs. */
    java.util.Optional<Guest> guest(String slug, String guestHome);

    /** The bundle's last log lines (empty when the bundle is gone). */
    List<String> bundleLogs(String slug, int tail);

    /**
     * Hands the bundle's log to {@code line}, from its first line and then as it is written,
     * until the bundle stops or goes; returns at once when there is no bundle.
     */
    void followBundleLogs(String slug, java.util.function.Consumer<String> line) throws InterruptedException;

    /** Releases what it holds for the process (a connection to an engine), once, when the command is done. */
    @Override
    default void close() {
    }
}
