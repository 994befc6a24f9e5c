package dev.claudebottle.spi.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code egress.routes} entry: the gateway sets {@code header} to the resolved value on
 * requests that match host (and method/path when given). A route implies an allow rule.
 *
 * @param host          the route's host
 * @param ports         ports it applies to; empty means 443
 * @param methods       methods it applies to; empty means any
 * @param paths         path prefixes it applies to; empty means any
 * @param header        the header to set
 * @param valueTemplate the value with {@code ${VAR}} references to the host env (not a secret itself); empty
 *                      for a route that takes its credential from a sign-in
 * @param login         the host sign-in the credential comes from, instead of a value
 * @param placeholder   what the guest sees instead, if anything
 * @param optional      whether the route is dropped (instead of failing) when a variable is unset
 * @param allowPrivate  whether the host may resolve to a private address
 * @param plainHttp     whether the credential may also go over plain HTTP (never, unless the manifest opts in)
 * @param location      where the entry stands in the manifest
 */
public record RouteDef(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths, String header,
                       String valueTemplate, Optional<Login> login, Optional<Placeholder> placeholder,
                       boolean optional, boolean allowPrivate, boolean plainHttp, Location location) {
    /** Copies the lists. */
    public RouteDef {
        Objects.requireNonNull(host, "host");
        ports = List.copyOf(ports);
        methods = List.copyOf(methods);
        paths = List.copyOf(paths);
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(valueTemplate, "valueTemplate");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(placeholder, "placeholder");
        Objects.requireNonNull(location, "location");
    }

    /** A route whose credential is a value from the host env. */
    public RouteDef(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths, String header,
                    String valueTemplate, Optional<Placeholder> placeholder, boolean optional, boolean allowPrivate,
                    boolean plainHttp, Location location) {
        this(host, ports, methods, paths, header, valueTemplate, Optional.empty(), placeholder, optional,
                allowPrivate, plainHttp, location);
    }

    /** How the route is named in messages: {@code host header} and where it stands. */
    public String label() {
        return "route " + host + " (" + header + ") at " + location;
    }
}
