package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.ImageBuildRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The agent and bundle images a launch uses: {@code CLAUDE_BOTTLE_IMAGE} and
 * {@code CLAUDE_BOTTLE_BUNDLE_IMAGE} when set, else the distribution's images, built when missing.
 *
 * @param agent  the agent image reference
 * @param bundle the bundle image reference
 */
public record LaunchImages(String agent, String bundle) {
    /** Finds or builds both images, reporting builds as events. */
    public static LaunchImages resolve(DockerEngine engine, Optional<Path> imagesDir, HostEnvironment env,
                                       EventSink events) {
        Optional<String> agent = env.get("CLAUDE_BOTTLE_IMAGE").filter(s -> !s.isBlank());
        Optional<String> bundle = env.get("CLAUDE_BOTTLE_BUNDLE_IMAGE").filter(s -> !s.isBlank());
        if (agent.isEmpty() || bundle.isEmpty()) {
            Path dir = imagesDir.orElseThrow(() -> new BottleException("the distribution's images folder is unknown",
                    "set CLAUDE_BOTTLE_IMAGE and CLAUDE_BOTTLE_BUNDLE_IMAGE, or run bottle from its distribution"));
            for (var built : new ImageBuilder(engine, dir, events).build(new ImageBuildRequest(agent.isEmpty(),
                    bundle.isEmpty(), Optional.empty(), List.of(), false, Optional.empty()))) {
                if (built.role().equals("agent")) {
                    agent = Optional.of(built.tag());
                } else {
                    bundle = Optional.of(built.tag());
                }
            }
        }
        return new LaunchImages(agent.orElseThrow(), bundle.orElseThrow());
    }
}
