package dev.claudebottle.kernel.builtin;

import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.RouteDef;
import java.util.Objects;

/**
 * A route whose value was resolved from the host env.
 *
 * @param route     the manifest entry
 * @param value     the real header value
 * @param bundleEnv the bundle env variable that carries it to the gateway
 */
public record ResolvedRoute(RouteDef route, Secret value, String bundleEnv) {
    /** Requires every part. */
    public ResolvedRoute {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(bundleEnv, "bundleEnv");
    }
}
