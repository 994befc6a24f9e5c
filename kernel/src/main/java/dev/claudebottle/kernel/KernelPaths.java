package dev.claudebottle.kernel;

import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.HostEnvironment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the kernel reads and writes.
 *
 * @param home              {@code CLAUDE_BOTTLE_HOME}: state, default {@code ~/.claude-bottle}
 * @param pluginsDir        dropped-in plugins, {@code CLAUDE_BOTTLE_PLUGINS_DIR}, default {@code home/plugins}
 * @param bundledPluginsDir plugins shipped with the distribution, if known
 * @param workingDir        the directory the CLI runs in
 * @param guestHome         the agent's home in the guest, {@code CLAUDE_BOTTLE_GUEST_HOME}
 */
public record KernelPaths(Path home, Path pluginsDir, Optional<Path> bundledPluginsDir, Path workingDir,
                          String guestHome) implements BottlePaths {
    /** The default guest home. */
    public static final String DEFAULT_GUEST_HOME = "/home/node";

    /** Requires every part and absolute paths. */
    public KernelPaths {
        home = Objects.requireNonNull(home, "home").toAbsolutePath().normalize();
        pluginsDir = Objects.requireNonNull(pluginsDir, "pluginsDir").toAbsolutePath().normalize();
        bundledPluginsDir = bundledPluginsDir.map(p -> p.toAbsolutePath().normalize());
        workingDir = Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath().normalize();
        Objects.requireNonNull(guestHome, "guestHome");
    }

    /** The paths the environment asks for; {@code bundled} comes from the launcher. */
    public static KernelPaths from(HostEnvironment env, Optional<Path> bundled, Path workingDir) {
        Path home = env.get("CLAUDE_BOTTLE_HOME").filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".claude-bottle"));
        Path plugins = env.get("CLAUDE_BOTTLE_PLUGINS_DIR").filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> home.resolve("plugins"));
        String guestHome = env.get("CLAUDE_BOTTLE_GUEST_HOME").filter(s -> s.startsWith("/"))
                .orElse(DEFAULT_GUEST_HOME);
        return new KernelPaths(home, plugins, bundled, workingDir, guestHome);
    }

    /** The distribution: the folder above the bundled plugins dir. */
    @Override
    public Optional<Path> distribution() {
        return bundledPluginsDir.map(Path::getParent);
    }
}
