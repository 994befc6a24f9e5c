package dev.claudebottle.spi;

import java.util.Map;
import java.util.Optional;

/** A {@link HostEnvironment} over a copy of a map; its {@code toString()} counts, never shows, the values. */
final class FixedHostEnvironment implements HostEnvironment {
    private final Map<String, String> values;

    FixedHostEnvironment(Map<String, String> values) {
        this.values = Map.copyOf(values);
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
