package dev.claudebottle.kernel;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Names bottles {@code <agent>-<4 hex digits>}, e.g. {@code coder-3f2a}. */
public final class SlugGenerator {
    private final SecureRandom random = new SecureRandom();

    /** A new slug for the agent. */
    public String next(String agent) {
        byte[] bytes = new byte[2];
        random.nextBytes(bytes);
        return agent + "-" + HexFormat.of().formatHex(bytes);
    }
}
