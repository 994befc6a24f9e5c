package dev.claudebottle.backend.smolmachines;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A smolvm version, as {@code smolvm --version} prints it.
 *
 * @param major major
 * @param minor minor
 * @param patch patch
 */
record SmolvmVersion(int major, int minor, int patch) implements Comparable<SmolvmVersion> {
    /** The first version whose {@code --from} launches keep the egress allowlist. */
    static final SmolvmVersion FROM_KEEPS_EGRESS = new SmolvmVersion(1, 8, 0);
    /** The first version that names machines with {@code -n/--name} on create and delete. */
    static final SmolvmVersion NAME_FLAG = new SmolvmVersion(1, 0, 2);
    /** The first version where {@code -e KEY} without a value forwards the host's value. */
    static final SmolvmVersion FORWARD_ENV = new SmolvmVersion(0, 8, 1);
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    static Optional<SmolvmVersion> parse(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new SmolvmVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    @Override
    public int compareTo(SmolvmVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    boolean atLeast(SmolvmVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
