package dev.claudebottle.spi.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code egress.allow} entry.
 *
 * @param host         which hosts it allows
 * @param ports        allowed ports; empty means 80 and 443
 * @param methods      allowed HTTP methods; empty means any (a non-empty list implies TLS interception)
 * @param paths        allowed path prefixes; empty means any (a non-empty list implies TLS interception)
 * @param allowPrivate whether the host may resolve to a private address ({@code private: true})
 * @param publicOnly   whether the host may resolve to public addresses only, even when named exactly
 *                     ({@code private: false}, as a grant approved while it resolved publicly is saved)
 * @param location     where the entry stands in the manifest (for a preset's, where the preset is named)
 * @param preset       the preset it came from ({@code egress.presets}), if one
 */
public record AllowRule(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths,
                        boolean allowPrivate, boolean publicOnly, Location location, Optional<String> preset) {
    /** Copies the lists. */
    public AllowRule {
        Objects.requireNonNull(host, "host");
        ports = List.copyOf(ports);
        methods = List.copyOf(methods);
        paths = List.copyOf(paths);
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(preset, "preset");
        if (allowPrivate && publicOnly) {
            throw new IllegalArgumentException("a rule cannot both allow and refuse private addresses");
        }
    }

    /** A rule the manifest writes itself. */
    public AllowRule(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths,
                     boolean allowPrivate, boolean publicOnly, Location location) {
        this(host, ports, methods, paths, allowPrivate, publicOnly, location, Optional.empty());
    }

    /** A rule that says {@code private: true} or nothing about private addresses. */
    public AllowRule(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths,
                     boolean allowPrivate, Location location) {
        this(host, ports, methods, paths, allowPrivate, false, location);
    }

    /** Whether requests to this host must be decrypted to apply the rule. */
    public boolean intercepts() {
        return !methods.isEmpty() || !paths.isEmpty();
    }
}
