package dev.claudebottle.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.kernel.run.BottleRecord;
import dev.claudebottle.kernel.run.BottleStore;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.HostEnvironment;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle stop} removes this home's bottle, never another home's that took the same slug since. */
class BottlesTest {
    @TempDir
    Path home;
    @TempDir
    Path elsewhere;
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();

    /** A backend whose every bottle was launched by {@code launchedBy}, as its resources' labels say. */
    private Backend backend(Optional<Path> launchedBy) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "fake";
                    case "home" -> launchedBy;
                    case "remove" -> {
                        removed.add((String) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Bottles bottles(Optional<Path> launchedBy) {
        KernelPaths paths = KernelPaths.from(HostEnvironment.of(Map.of("CLAUDE_BOTTLE_HOME", home.toString())),
                Optional.empty(), home);
        new BottleStore().write(paths.bottleDir("web-1a2b"), new BottleRecord("web-1a2b", "a", "b", "fake", "m",
                "running", Instant.now(), "/home/node", 0, List.of("bash")));
        return new Bottles(paths, () -> List.of(new Owned<>("fake", backend(launchedBy))), events::add);
    }

    @Test
    void aBottleOfThisHomeOrOfNoKnownHomeIsRemoved() {
        bottles(Optional.of(home)).stop("web-1a2b");
        bottles(Optional.empty()).stop("web-1a2b");
        assertThat(removed).containsExactly("web-1a2b", "web-1a2b");
    }

    @Test
    void aBottleAnotherHomeLaunchedUnderTheSameSlugIsLeftAloneAndThisHomesStateGoes() {
        Bottles bottles = bottles(Optional.of(elsewhere));

        bottles.stop("web-1a2b");

        assertThat(removed).isEmpty();
        assertThat(events).extracting(String::valueOf).anyMatch(e -> e.contains("of another home")
                && e.contains(elsewhere.toString()));
        assertThat(home.resolve("bottles").resolve("web-1a2b")).doesNotExist();
    }
}
