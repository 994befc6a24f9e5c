package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.bundle.PolicyFile;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.HostPattern;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's policy as the bundle reads it from the file the kernel wrote, with route values
 * taken from the bundle's process env.
 *
 * @param allow         allowed hosts, as the policy file has them
 * @param routes        credential-injection routes
 * @param dlpAction     what a DLP match does
 * @param dlpPatterns   patterns added to the built-in ones
 * @param upstreamProxy a proxy to chain to, as {@code http://host:port}, if any
 * @param upstreamCa    a bundle path of extra CA certificates for upstreams, if any
 */
public record GatewayPolicy(List<PolicyFile.Rule> allow, List<Route> routes, DlpAction dlpAction, List<DlpPattern> dlpPatterns,
                            Optional<String> upstreamProxy, Optional<String> upstreamCa) {
    /** Copies the lists. */
    public GatewayPolicy {
        allow = List.copyOf(allow);
        routes = List.copyOf(routes);
        Objects.requireNonNull(dlpAction, "dlpAction");
        dlpPatterns = List.copyOf(dlpPatterns);
        Objects.requireNonNull(upstreamProxy, "upstreamProxy");
        Objects.requireNonNull(upstreamCa, "upstreamCa");
    }

    /**
     * A route: set {@code header} to {@code value} on matching requests.
     *
     * @param host         the route's host
     * @param ports        ports it applies to; empty means 443
     * @param methods      methods it applies to; empty means any
     * @param paths        path prefixes it applies to; empty means any
     * @param header       the header to set
     * @param value        the real value, from the bundle env
     * @param placeholder  what the guest was given instead, if anything
     * @param allowPrivate whether it may resolve to a private address
     * @param plainHttp    whether the value may go over plain HTTP; otherwise only over TLS verified for the host
     */
    public record Route(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths, String header, Secret value,
                        Optional<String> placeholder, boolean allowPrivate, boolean plainHttp) {
        /** Copies the lists. */
        public Route {
            Objects.requireNonNull(host, "host");
            ports = List.copyOf(ports);
            methods = List.copyOf(methods);
            paths = List.copyOf(paths);
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(placeholder, "placeholder");
        }
    }
}
