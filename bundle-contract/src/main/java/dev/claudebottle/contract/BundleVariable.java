package dev.claudebottle.contract;

import dev.claudebottle.spi.BundleEnv;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One variable of the bundle's process env, as both sides use it: the host writes an entry with
 * {@link #entry}, the bundle reads it back with {@link #read}. Its name, its format and what the
 * bundle assumes when it is missing are defined here once.
 *
 * @param <T> the value's type
 */
public final class BundleVariable<T> {
    private final String name;
    private final Optional<T> fallback;
    private final String expected;
    private final Function<String, T> parse;
    private final Function<T, String> format;

    private BundleVariable(String name, Optional<T> fallback, String expected, Function<String, T> parse,
                           Function<T, String> format) {
        this.name = Objects.requireNonNull(name, "name");
        this.fallback = fallback;
        this.expected = expected;
        this.parse = parse;
        this.format = format;
    }

    /** A text (a path in the bundle, say), with what the bundle assumes without it. */
    public static BundleVariable<String> text(String name, String fallback) {
        return new BundleVariable<>(name, Optional.of(fallback), "text", s -> s, s -> s);
    }

    /** A text with nothing to assume without it: {@link #read} needs it, {@link #readIfSet} does not. */
    public static BundleVariable<String> text(String name) {
        return new BundleVariable<>(name, Optional.empty(), "text", s -> s, s -> s);
    }

    /** A TCP port. */
    public static BundleVariable<Integer> port(String name, int fallback) {
        return new BundleVariable<>(name, Optional.of(fallback), "a port number (1-65535)", s -> {
            int port = Integer.parseInt(s);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
            return port;
        }, p -> Integer.toString(p));
    }

    /** A positive number of whole seconds, written like {@code 600s}. */
    public static BundleVariable<Duration> seconds(String name, Duration fallback) {
        return new BundleVariable<>(name, Optional.of(fallback), "a positive number of seconds like 600s", s -> {
            Duration d = Duration.ofSeconds(Long.parseLong(s.endsWith("s") ? s.substring(0, s.length() - 1) : s));
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException();
            }
            return d;
        }, d -> d.toSeconds() + "s");
    }

    /** A comma-separated list of names that must name at least one. */
    public static BundleVariable<List<String>> names(String name) {
        return new BundleVariable<>(name, Optional.empty(), "a comma-separated list of names", s -> {
            List<String> names = Arrays.stream(s.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
            if (names.isEmpty()) {
                throw new IllegalArgumentException();
            }
            return names;
        }, l -> String.join(",", l));
    }

    /** One of an enum's values, as {@link Wire} spells it. */
    public static <E extends Enum<E>> BundleVariable<E> choice(String name, Class<E> type, E fallback) {
        return new BundleVariable<>(name, Optional.of(fallback), Wire.choices(type),
                s -> Wire.parse(type, s, name), Wire::name);
    }

    /** The variable's name. */
    public String name() {
        return name;
    }

    /** The host's side: the bundle env entry that gives the bundle {@code value}. */
    public BundleEnv entry(T value) {
        return BundleEnv.plain(name, format.apply(Objects.requireNonNull(value, "value")));
    }

    /**
     * The bundle's side: the value in {@code env}, or what the bundle assumes without it.
     *
     * @throws IllegalArgumentException naming the variable (never its value) when it is missing
     *                                  and needed, or not what it should be
     */
    public T read(Map<String, String> env) {
        Optional<T> value = readIfSet(env);
        if (value.isPresent()) {
            return value.get();
        }
        return fallback.orElseThrow(() -> new IllegalArgumentException(name + " is not set"));
    }

    /** The bundle's side: the value in {@code env}, if it is set. */
    public Optional<T> readIfSet(Map<String, String> env) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(raw.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not " + expected);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
