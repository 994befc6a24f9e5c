package dev.claudebottle.bundle.gateway;

import java.util.Locale;
import java.util.Optional;

/**
 * A CONNECT target, {@code host:port} or {@code [v6]:port}.
 *
 * @param host the host, lower case, without brackets
 * @param port the port
 */
record HostPort(String host, int port) {
    /** The target of a CONNECT request line, or empty when it is malformed. */
    static Optional<HostPort> parse(String authority) {
        if (authority == null || authority.isEmpty() || authority.length() > 300) {
            return Optional.empty();
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int end = authority.indexOf("]:");
            if (end < 0) {
                return Optional.empty();
            }
            host = authority.substring(1, end);
            port = authority.substring(end + 2);
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon <= 0 || authority.indexOf(':') != colon) {
                return Optional.empty();
            }
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != '@')
                || !port.matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(host.toLowerCase(Locale.ROOT), p));
    }
}
