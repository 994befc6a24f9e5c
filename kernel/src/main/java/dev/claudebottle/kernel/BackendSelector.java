package dev.claudebottle.kernel;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.HostEnvironment;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Picks the backend: {@code --backend}, else {@code CLAUDE_BOTTLE_BACKEND}, else {@code docker}. */
public final class BackendSelector {
    /** The backend used when nothing selects one. */
    public static final String DEFAULT = "docker";
    /** The variable that selects a backend. */
    public static final String ENV = "CLAUDE_BOTTLE_BACKEND";

    private BackendSelector() {
    }

    /** The name asked for, before checking it exists. */
    public static String requested(Optional<String> flag, HostEnvironment env) {
        return flag.filter(s -> !s.isBlank())
                .or(() -> env.get(ENV).filter(s -> !s.isBlank()))
                .orElse(DEFAULT);
    }

    /** The loaded backend with that name, or an error listing the loaded ones. */
    public static Owned<Backend> select(String name, List<Owned<Backend>> backends) {
        return backends.stream().filter(b -> b.value().name().equals(name)).findFirst()
                .orElseThrow(() -> new BadInputException("unknown backend '" + name + "'",
                        backends.isEmpty()
                                ? "no backend plugin is loaded; check the distribution's plugins folder"
                                : "loaded backends: " + backends.stream().map(b -> b.value().name())
                                        .collect(Collectors.joining(", "))));
    }
}
