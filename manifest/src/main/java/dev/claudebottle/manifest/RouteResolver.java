package dev.claudebottle.manifest;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.RouteDef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves route values ({@code ${VAR}}) from the host env at launch, and the access token of
 * routes that take theirs from the host's Claude sign-in ({@code login: claude}). A missing variable
 * or sign-in is an error naming the route, unless the route is optional: then the route is dropped
 * with a note. A credential from the env comes first: an optional sign-in route is dropped for a
 * host another route already gives one. A sign-in's value is its access token at launch: the
 * gateway reads, refreshes and writes back the sign-in itself, from the folder that holds it.
 */
public final class RouteResolver {
    /** Prefix of the bundle env variables that carry route values. */
    public static final String ENV_PREFIX = "CLAUDE_BOTTLE_ROUTE_";
    /** What a skipped sign-in route names as missing, beside the variables of the others. */
    private static final String NO_SIGN_IN = "the host's Claude sign-in";
    private final HostEnvironment env;
    private final EventSink events;
    private final Clock clock;
    private final boolean launching;
    private final boolean withheld;

    /** Resolves against the given env, for a launch. */
    public RouteResolver(HostEnvironment env, EventSink events) {
        this(env, events, Clock.systemUTC());
    }

    /** Resolves against the given env for a launch, judging a sign-in's expiry by {@code clock}. */
    public RouteResolver(HostEnvironment env, EventSink events, Clock clock) {
        this(env, events, clock, true);
    }

    private RouteResolver(HostEnvironment env, EventSink events, Clock clock, boolean launching) {
        this(env, events, clock, launching, false);
    }

    private RouteResolver(HostEnvironment env, EventSink events, Clock clock, boolean launching, boolean withheld) {
        this.env = env;
        this.events = events;
        this.clock = clock;
        this.launching = launching;
        this.withheld = withheld;
    }

    /**
     * The same resolution with every value withheld (empty): which routes apply is decided from the
     * host env as at a launch, and nothing of a credential is handed on. A warm bottle is made so,
     * and given its values when it is claimed.
     */
    public RouteResolver withheld() {
        return new RouteResolver(env, events, clock, launching, true);
    }

    /**
     * Resolves for a bottle that already runs ({@code bottle verify}): an expired sign-in is the
     * sign-in still, as the bottle was launched with it, not a reason to refuse.
     */
    public static RouteResolver forRunningBottle(HostEnvironment env, EventSink events) {
        return new RouteResolver(env, events, Clock.systemUTC(), false);
    }

    /** The routes that apply, with their values. */
    public List<CredentialRoute> resolve(List<RouteDef> routes) {
        Function<String, Optional<String>> lookup = name -> env.get(name).filter(v -> !v.isEmpty());
        List<CredentialRoute> out = new ArrayList<>();
        Map<String, Set<String>> skipped = new LinkedHashMap<>();
        List<RouteDef> signIns = new ArrayList<>();
        for (RouteDef route : routes) {
            if (route.login().isPresent()) {
                signIns.add(route);
                continue;
            }
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
        Map<RouteDef, Secret> signedIn = new LinkedHashMap<>();
        for (RouteDef route : signIns) {
            if (route.optional() && out.stream().anyMatch(r -> r.route().host().equals(route.host()))) {
                events.debug(route.label() + " is skipped: the host env gives " + route.host() + " a credential");
                continue;
            }
            Optional<ClaudeSignIn.Found> signIn = signIn(route);
            if (signIn.isEmpty()) {
                skipped.computeIfAbsent(route.host().toString(), h -> new LinkedHashSet<>()).add(NO_SIGN_IN);
                continue;
            }
            signedIn.put(route, Secret.of("Bearer " + signIn.get().signIn().accessToken().reveal()));
        }
        warnOfHostsLeftWithoutCredential(skipped, out, signedIn.keySet());
        List<CredentialRoute> resolved = inManifestOrder(routes, out, signedIn);
        return withheld ? resolved.stream().map(r -> new CredentialRoute(r.route(), Secret.of(""), r.bundleEnv()))
                .toList() : resolved;
    }

    /** The resolved routes in the order the manifest lists them, numbered in that order. */
    private static List<CredentialRoute> inManifestOrder(List<RouteDef> routes, List<CredentialRoute> valued,
                                                         Map<RouteDef, Secret> signedIn) {
        List<CredentialRoute> ordered = new ArrayList<>();
        for (RouteDef route : routes) {
            Optional<Secret> value = Optional.ofNullable(signedIn.get(route)).or(() -> valued.stream()
                    .filter(r -> r.route() == route).map(CredentialRoute::value).findFirst());
            value.ifPresent(v -> ordered.add(new CredentialRoute(route, v, ENV_PREFIX + ordered.size())));
        }
        return ordered;
    }

    /**
     * The host's sign-in for a route, when it has one that can be used: its access token is good, or
     * it can be refreshed (the bottle's gateway does that); none for an optional route without one.
     * One that can be neither is an error either way: the API would refuse it.
     */
    private Optional<ClaudeSignIn.Found> signIn(RouteDef route) {
        Path file = ClaudeSignIn.file(env).orElse(Path.of("~/.claude", ClaudeSignIn.FILE));
        Optional<ClaudeSignIn.Found> found;
        try {
            found = ClaudeSignIn.file(env).isEmpty() ? Optional.empty() : ClaudeSignIn.read(file);
        } catch (IOException e) {
            throw new BadInputException(route.label() + " uses the host's Claude sign-in, but " + e.getMessage(),
                    "sign in again on the host: run claude, then /login");
        }
        if (found.isEmpty()) {
            if (route.optional()) {
                events.debug(route.label() + " is skipped: " + file + " holds no Claude sign-in");
                return Optional.empty();
            }
            throw new BadInputException(route.label() + " uses the host's Claude sign-in, but " + file
                    + " holds none", "sign in on the host: run claude, then /login");
        }
        if (launching && !found.get().usableAt(clock.instant())) {
            throw new BadInputException(route.label() + " uses the host's Claude sign-in, whose access token "
                    + "expired at " + found.get().signIn().expiresAt() + " and which cannot be refreshed",
                    "sign in again on the host: run claude, then /login");
        }
        return found;
    }

    /**
     * One optional route of several for a host may well be skipped (the default bottle offers an
     * API key and an OAuth token); a host whose every route was skipped gets no credential at all,
     * which the user should hear of without {@code --debug}.
     */
    private void warnOfHostsLeftWithoutCredential(Map<String, Set<String>> skipped, List<CredentialRoute> resolved,
                                                  Set<RouteDef> signedIn) {
        skipped.forEach((host, missing) -> {
            if (resolved.stream().noneMatch(r -> r.route().host().toString().equals(host))
                    && signedIn.stream().noneMatch(r -> r.host().toString().equals(host))) {
                List<String> variables = missing.stream().filter(m -> !m.equals(NO_SIGN_IN)).toList();
                String unset = variables.isEmpty() ? "" : String.join(" and ", variables)
                        + (variables.size() == 1 ? " is" : " are") + " not set";
                String noSignIn = missing.contains(NO_SIGN_IN) ? "the host has no Claude sign-in (claude, then /login)"
                        : "";
                events.warn("no credential for " + host + ": its routes are skipped because " + unset
                        + (unset.isEmpty() || noSignIn.isEmpty() ? "" : " and ") + noSignIn);
            }
        });
    }
}
