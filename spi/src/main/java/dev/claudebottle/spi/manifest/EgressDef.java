package dev.claudebottle.spi.manifest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code egress} section of a bottle: default deny, plus what it allows.
 *
 * @param allow         allowed hosts
 * @param routes        credential-injection routes (each implies an allow)
 * @param dlp           secret scanning
 * @param upstreamProxy a proxy the gateway chains to, if any
 * @param upstreamCa    PEM files (absolute) of extra CA certificates trusted for upstreams: by the gateway
 *                      for intercepted hosts, by the guest for tunnelled ones; unless the manifest names
 *                      them, every {@code *.crt} of the host's {@code /usr/local/share/ca-certificates}
 *                      (a TLS-intercepting corporate proxy's CA, as {@code bottle image build} trusts it)
 * @param onAlert       what the bottle does at its first alert ({@code on_alert}, default {@code log})
 * @param unknown       what a request to a host no rule covers gets ({@code unknown}, default {@code deny})
 * @param askTimeout    how long such a request waits for a person with {@code unknown: ask}
 *                      ({@code ask_timeout}, default {@link #DEFAULT_ASK_TIMEOUT})
 */
public record EgressDef(List<AllowRule> allow, List<RouteDef> routes, DlpDef dlp, Optional<URI> upstreamProxy,
                        List<Path> upstreamCa, AlertAction onAlert, UnknownAction unknown, Duration askTimeout) {
    /**
     * A minute: the request's client waits that long, and an agent's shell tool commonly gives a
     * command two minutes (Claude Code's Bash tool does), so the rest of the command has time.
     */
    public static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofMinutes(1);
    /** Nothing allowed. */
    public static final EgressDef DENY_ALL = new EgressDef(List.of(), List.of(), DlpDef.DEFAULT, Optional.empty(),
            List.of(), AlertAction.LOG, UnknownAction.DENY, DEFAULT_ASK_TIMEOUT);

    /** Copies the lists. */
    public EgressDef {
        allow = List.copyOf(allow);
        routes = List.copyOf(routes);
        Objects.requireNonNull(dlp, "dlp");
        Objects.requireNonNull(upstreamProxy, "upstreamProxy");
        upstreamCa = List.copyOf(upstreamCa);
        Objects.requireNonNull(onAlert, "onAlert");
        Objects.requireNonNull(unknown, "unknown");
        if (askTimeout.isNegative() || askTimeout.isZero()) {
            throw new IllegalArgumentException("askTimeout must be positive");
        }
    }

    /** The same egress with another answer for hosts no rule covers. */
    public EgressDef withUnknown(UnknownAction action) {
        return new EgressDef(allow, routes, dlp, upstreamProxy, upstreamCa, onAlert, action, askTimeout);
    }
}
