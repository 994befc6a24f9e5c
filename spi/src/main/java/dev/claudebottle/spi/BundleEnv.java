package dev.claudebottle.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * An entry of the bundle's env. Either a plain value or a {@link Secret}; secrets go to the bundle
 * only, into its own file system rather than its container's env, and are shown redacted everywhere else.
 *
 * @param name   the variable name
 * @param value  the plain value, when not secret
 * @param secret the secret value, when secret
 */
public record BundleEnv(String name, Optional<String> value, Optional<Secret> secret) {
    /** Exactly one of value and secret must be present. */
    public BundleEnv {
        Objects.requireNonNull(name, "name");
        if (value.isPresent() == secret.isPresent()) {
            throw new IllegalArgumentException("bundle env " + name + " needs exactly one of value and secret");
        }
    }

    /** A plain entry. */
    public static BundleEnv plain(String name, String value) {
        return new BundleEnv(name, Optional.of(value), Optional.empty());
    }

    /** A secret entry. */
    public static BundleEnv secret(String name, Secret value) {
        return new BundleEnv(name, Optional.empty(), Optional.of(value));
    }

    /** The value for display: the plain value, or {@code ***}. */
    public String display() {
        return value.orElse("***");
    }
}
