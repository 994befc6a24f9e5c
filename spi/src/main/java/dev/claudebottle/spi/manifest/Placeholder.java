package dev.claudebottle.spi.manifest;

import java.util.Objects;

/**
 * The stand-in value the guest sees instead of a real credential.
 *
 * @param env   the guest env variable that carries it
 * @param value the placeholder text
 */
public record Placeholder(String env, String value) {
    /** Requires both parts. */
    public Placeholder {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(value, "value");
    }
}
