package dev.claudebottle.bundle.gateway;

import java.util.List;
import java.util.Optional;

/**
 * Catches credentials on their way somewhere else: a route's placeholder or real value in a
 * request to any host other than the route's own. The result names the route, never the value.
 */
public final class Tripwire {
    private final List<GatewayPolicy.Route> routes;

    /** Watches the values of these routes. */
    public Tripwire(List<GatewayPolicy.Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Why {@code text}, bound for {@code host}, trips the wire, if it does. */
    public Optional<String> check(CharSequence text, String host) {
        if (text == null || text.length() == 0) {
            return Optional.empty();
        }
        String s = text.toString();
        for (GatewayPolicy.Route r : routes) {
            if (r.host().matches(host)) {
                continue;
            }
            if (r.placeholder().filter(p -> !p.isEmpty() && s.contains(p)).isPresent()) {
                return Optional.of("the placeholder of the " + r.host() + " credential was sent to " + host);
            }
            if (!r.value().isEmpty() && s.contains(r.value().reveal())) {
                return Optional.of("the " + r.host() + " credential was sent to " + host);
            }
        }
        return Optional.empty();
    }
}
