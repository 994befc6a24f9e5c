package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.UnknownAction;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.HostPattern;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's policy as the bundle reads it from the file the kernel wrote, with route values
 * taken from the bundle's process env or from the sign-in the gateway keeps.
 *
 * @param allow         allowed hosts, as the policy file has them
 * @param routes        credential-injection routes
 * @param dlpAction     what a DLP match does
 * @param dlpPatterns   patterns added to the built-in ones
 * @param upstreamProxy a proxy to chain to, as {@code http://host:port}, if any
 * @param upstreamCa    a bundle path of extra CA certificates for upstreams, if any
 * @param unknown       what a host no rule covers gets
 * @param askTimeout    how long an asked request waits for a person
 */
public record GatewayPolicy(List<PolicyFile.Rule> allow, List<Route> routes, DlpAction dlpAction, List<DlpPattern> dlpPatterns,
                            Optional<String> upstreamProxy, Optional<String> upstreamCa, UnknownAction unknown,
                            java.time.Duration askTimeout) {
    /** Copies the lists. */
    public GatewayPolicy {
        allow = List.copyOf(allow);
        routes = List.copyOf(routes);
        Objects.requireNonNull(dlpAction, "dlpAction");
        dlpPatterns = List.copyOf(dlpPatterns);
        Objects.requireNonNull(upstreamProxy, "upstreamProxy");
        Objects.requireNonNull(upstreamCa, "upstreamCa");
        Objects.requireNonNull(unknown, "unknown");
        Objects.requireNonNull(askTimeout, "askTimeout");
    }

    /** A policy that refuses unknown hosts. */
    public GatewayPolicy(List<PolicyFile.Rule> allow, List<Route> routes, DlpAction dlpAction,
                         List<DlpPattern> dlpPatterns, Optional<String> upstreamProxy, Optional<String> upstreamCa) {
        this(allow, routes, dlpAction, dlpPatterns, upstreamProxy, upstreamCa, UnknownAction.DENY,
                java.time.Duration.ofMinutes(1));
    }

    /** The same policy with another answer for unknown hosts. */
    public GatewayPolicy unknown(UnknownAction mode, java.time.Duration timeout) {
        return new GatewayPolicy(allow, routes, dlpAction, dlpPatterns, upstreamProxy, upstreamCa, mode, timeout);
    }

    /**
     * A route: set {@code header} to the credential's value on matching requests.
     *
     * @param where       where it applies, in the policy file's rule shape (ports empty means 443)
     * @param header      the header to set
     * @param credential  where the real value comes from: the bundle env, or a sign-in the gateway keeps
     * @param placeholder what the guest was given instead, if anything
     * @param plainHttp   whether the value may go over plain HTTP; otherwise only over TLS verified for the host
     * @param signIn      whether the value is a sign-in's access token, refreshed by the gateway
     */
    public record Route(PolicyFile.Rule where, String header, RouteCredential credential, Optional<String> placeholder,
                        boolean plainHttp, boolean signIn) {
        /** Requires every part. */
        public Route {
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(placeholder, "placeholder");
        }

        /** A route whose value the bundle env gave. */
        public Route(PolicyFile.Rule where, String header, Secret value, Optional<String> placeholder,
                     boolean plainHttp) {
            this(where, header, RouteCredential.fixed(value), placeholder, plainHttp, false);
        }

        /** The route's host. */
        public HostPattern host() {
            return where.host();
        }

        /** The ports it applies to; empty means 443. */
        public List<Integer> ports() {
            return where.ports();
        }

        /** The methods it applies to; empty means any. */
        public List<String> methods() {
            return where.methods();
        }

        /** The path prefixes it applies to; empty means any. */
        public List<String> paths() {
            return where.paths();
        }

        /** Whether it may resolve to a private address. */
        public boolean allowPrivate() {
            return where.allowPrivate();
        }
    }
}
