package dev.claudebottle.manifest;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.RouteDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves route values ({@code ${VAR}}) from the host env at launch. A missing variable is an
 * error naming the route, unless the route is optional: then the route is dropped with a note.
 */
public final class RouteResolver {
    /** Prefix of the bundle env variables that carry route values. */
    public static final String ENV_PREFIX = "CLAUDE_BOTTLE_ROUTE_";
    private final HostEnvironment env;
    private final EventSink events;

    /** Resolves against the given env. */
    public RouteResolver(HostEnvironment env, EventSink events) {
        this.env = env;
        this.events = events;
    }

    /** The routes that apply, with their values. */
    public List<CredentialRoute> resolve(List<RouteDef> routes) {
        Function<String, Optional<String>> lookup = name -> env.get(name).filter(v -> !v.isEmpty());
        List<CredentialRoute> out = new ArrayList<>();
        Map<String, Set<String>> skipped = new LinkedHashMap<>();
        for (RouteDef route : routes) {
            ValueTemplate template = ValueTemplate.parse(route.valueTemplate());
            Optional<String> value = template.resolve(lookup);
            if (value.isEmpty()) {
                String missing = template.firstMissing(lookup).orElse("?");
                if (route.optional()) {
                    events.debug(route.label() + " is skipped: " + missing + " is not set");
                    skipped.computeIfAbsent(route.host().toString(), h -> new LinkedHashSet<>()).add(missing);
                    continue;
                }
                throw new BadInputException(route.label() + " needs the host variable " + missing
                        + ", which is not set", "export " + missing + " before starting the bottle, "
                        + "or mark the route 'optional: true'");
            }
            if (route.plainHttp()) {
                events.warn(route.label() + " lets its credential go over plain HTTP (plain_http: true), where"
                        + " anyone on the way can read it");
            }
            out.add(new CredentialRoute(route, Secret.of(value.get()), ENV_PREFIX + out.size()));
        }
        warnOfHostsLeftWithoutCredential(skipped, out);
        return out;
    }

    /**
     * One optional route of several for a host may well be skipped (the default bottle offers an
     * API key and an OAuth token); a host whose every route was skipped gets no credential at all,
     * which the user should hear of without {@code --debug}.
     */
    private void warnOfHostsLeftWithoutCredential(Map<String, Set<String>> skipped, List<CredentialRoute> resolved) {
        skipped.forEach((host, missing) -> {
            if (resolved.stream().noneMatch(r -> r.route().host().toString().equals(host))) {
                events.warn("no credential for " + host + ": its routes are skipped because "
                        + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " not set");
            }
        });
    }
}
