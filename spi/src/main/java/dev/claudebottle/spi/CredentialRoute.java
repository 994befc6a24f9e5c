package dev.claudebottle.spi;

import dev.claudebottle.spi.manifest.RouteDef;
import java.util.Objects;

/**
 * A credential route of the bottle whose value was resolved from the host env at launch; its
 * {@code toString()} shows the value as {@code ***}.
 *
 * @param route     the manifest entry
 * @param value     the real header value
 * @param bundleEnv the bundle env variable that carries it to the gateway
 */
public record CredentialRoute(RouteDef route, Secret value, String bundleEnv) {
    /** Requires every part. */
    public CredentialRoute {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(bundleEnv, "bundleEnv");
    }
}
