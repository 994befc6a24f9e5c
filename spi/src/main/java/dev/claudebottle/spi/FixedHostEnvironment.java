package dev.claudebottle.spi;

import java.util.Map;
import java.util.Optional;

/** A {@link HostEnvironment} over a copy of a map; its {@code toString()} counts, never shows, the values. */
record FixedHostEnvironment(Map<String, String> all) implements HostEnvironment {
    FixedHostEnvironment {
        all = Map.copyOf(all);
    }

    @Override
    public Optional<String> get(String name) {
        return Optional.ofNullable(all.get(name));
    }

    @Override
    public String toString() {
        return "HostEnvironment[" + all.size() + " variables]";
    }
}
