package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.manifest.HostPattern;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which values of an audit line a manifest holds as they are. A proposal writes only these, so no
 * value the guest sent needs quoting there: what it would need quoted for could change what the
 * manifest says.
 */
final class ManifestValues {
    /** The methods a manifest's rule may name. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** A path segment's characters (RFC 3986 pchar): nothing a YAML string or a terminal reads as more. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");

    private ManifestValues() {
    }

    /** What of the line a manifest cannot hold, if anything: its host first, then its port, method, path. */
    static Optional<PolicyProposal.Left> problem(AuditLine line) {
        if (HostPattern.problem(line.host()) != null || line.host().startsWith("*")) {
            return Optional.of(PolicyProposal.Left.HOST);
        }
        if (line.port() < 1 || line.port() > 65535) {
            return Optional.of(PolicyProposal.Left.PORT);
        }
        if (line.tunnel()) {
            return Optional.empty();
        }
        if (!METHODS.contains(line.method())) {
            return Optional.of(PolicyProposal.Left.METHOD);
        }
        return prefix(line.path()).isEmpty() ? Optional.of(PolicyProposal.Left.PATH) : Optional.empty();
    }

    /**
     * The first segment of a path as a prefix ({@code /v1} of {@code /v1/messages?x=}), {@code /} for
     * the root, or empty when the path is not one a manifest holds.
     */
    static Optional<String> prefix(String path) {
        int q = path.indexOf('?');
        String bare = q >= 0 ? path.substring(0, q) : path;
        if (!bare.startsWith("/")) {
            return Optional.empty();
        }
        int slash = bare.indexOf('/', 1);
        String segment = slash < 0 ? bare.substring(1) : bare.substring(1, slash);
        if (segment.isEmpty()) {
            return Optional.of("/");
        }
        return SEGMENT.matcher(segment).matches() ? Optional.of("/" + segment) : Optional.empty();
    }
}
