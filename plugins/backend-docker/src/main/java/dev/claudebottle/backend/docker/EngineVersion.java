package dev.claudebottle.backend.docker;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compares Docker engine versions; internal networks leaked DNS before 25.0.5. */
final class EngineVersion {
    /** The first engine whose internal networks have no DNS leak. */
    static final int[] MINIMUM = {25, 0, 5};
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private EngineVersion() {
    }

    /** Whether the version is at least {@link #MINIMUM}; empty when it cannot be parsed. */
    static Optional<Boolean> recentEnough(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return Optional.empty();
        }
        for (int i = 0; i < 3; i++) {
            int part = Integer.parseInt(m.group(i + 1));
            if (part != MINIMUM[i]) {
                return Optional.of(part > MINIMUM[i]);
            }
        }
        return Optional.of(true);
    }
}
