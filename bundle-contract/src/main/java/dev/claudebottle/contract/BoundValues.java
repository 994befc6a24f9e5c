package dev.claudebottle.contract;

import dev.claudebottle.spi.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The secret entries of a bundle's env (a route's credential, a git token) as the backend puts them
 * into the bundle's own file system at {@link BundleLayout#BOUND_VALUES}, never into its container
 * env: {@code docker inspect} of the bundle shows none of them, and a bundle started without them (a
 * warm bottle) is given them when it is claimed, which the gateway's next policy load reads. A file of
 * names and values; its {@code toString()} shows the names only. Trees, not text: each side brings
 * its own JSON library.
 */
public final class BoundValues {
    /** The format this build writes and reads. */
    public static final int VERSION = 1;
    /** The most bytes the bundle reads of the file: a few credentials are a few kilobytes. */
    public static final long MAX_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * The variable under which the bundle's env holds the file's {@link #generation}: the gateway
     * names it when it says it loaded its policy, so that the host waits for the load of what it gave.
     */
    public static final String GENERATION = "CLAUDE_BOTTLE_BOUND_GENERATION";
    private static final Pattern GENERATION_FORM = Pattern.compile("[0-9a-f]{32}");
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final Map<String, Secret> values;
    private final String generation;

    /** The values, by bundle env name, as a generation of their own. */
    public BoundValues(Map<String, Secret> values) {
        this(values, newGeneration());
    }

    private BoundValues(Map<String, Secret> values, String generation) {
        this.values = Map.copyOf(values);
        this.generation = generation;
    }

    private static String newGeneration() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** What tells these values from any given before: 128 random bits, in hex; not a secret. */
    public String generation() {
        return generation;
    }

    /** The values, by bundle env name. */
    public Map<String, Secret> values() {
        return values;
    }

    /**
     * The file's JSON tree: {@code {"version": 1, "generation": HEX, "values": {NAME: value}}}, holding the
     * values in the clear.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> plain = new LinkedHashMap<>();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> plain.put(e.getKey(), e.getValue().reveal()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VERSION);
        json.put("generation", generation);
        json.put("values", plain);
        return json;
    }

    /** Reads the tree {@link #toJson()} writes; anything else is refused without quoting a value. */
    public static BoundValues fromJson(Object tree) {
        if (!(tree instanceof Map<?, ?> json) || !Objects.equals(json.get("version"), VERSION)
                || !(json.get("values") instanceof Map<?, ?> plain) || !(json.get("generation") instanceof String gen)
                || !GENERATION_FORM.matcher(gen).matches()) {
            throw new IllegalArgumentException("the bound values are not a version " + VERSION + " file of values");
        }
        Map<String, Secret> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : plain.entrySet()) {
            if (!(e.getKey() instanceof String name) || !NAME.matcher(name).matches()
                    || !(e.getValue() instanceof String value)) {
                throw new IllegalArgumentException("the bound values hold an entry that is not an env name with a "
                        + "text value");
            }
            values.put(name, Secret.of(value));
        }
        return new BoundValues(values, gen);
    }

    @Override
    public String toString() {
        return "BoundValues" + values.keySet().stream().sorted().toList() + " generation " + generation;
    }
}
