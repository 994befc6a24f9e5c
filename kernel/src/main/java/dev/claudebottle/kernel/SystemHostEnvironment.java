package dev.claudebottle.kernel;

import dev.claudebottle.spi.HostEnvironment;
import java.util.Map;
import java.util.Optional;

/** The real process environment, or a fixed map for tests. */
public final class SystemHostEnvironment implements HostEnvironment {
    private final Map<String, String> values;

    /** Wraps a fixed map. */
    public SystemHostEnvironment(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment. */
    public static SystemHostEnvironment current() {
        return new SystemHostEnvironment(System.getenv());
    }

    @Override
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    @Override
    public Map<String, String> all() {
        return values;
    }

    @Override
    public String toString() {
        return "HostEnvironment[" + values.size() + " variables]";
    }
}
