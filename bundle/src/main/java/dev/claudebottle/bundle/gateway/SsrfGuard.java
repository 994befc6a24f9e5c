package dev.claudebottle.bundle.gateway;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Refuses targets on loopback, link-local (cloud metadata), private, shared (CGNAT), unique-local
 * and multicast addresses, unless the policy lets the host resolve there.
 */
public final class SsrfGuard {
    /** The kinds of address a private network's hosts have; loopback and link-local are not among them. */
    private static final java.util.Set<String> PRIVATE_NETWORKS = java.util.Set.of("private", "shared (CGNAT)",
            "unique-local");

    private SsrfGuard() {
    }

    /** Why connecting to {@code address} for {@code host} is refused, if it is. */
    public static Optional<String> refusal(String host, InetAddress address, Reach reach) {
        if (reach == Reach.ANY) {
            return Optional.empty();
        }
        String kind = kind(address);
        if (kind == null || reach == Reach.PRIVATE_NETWORKS && PRIVATE_NETWORKS.contains(kind)) {
            return Optional.empty();
        }
        return Optional.of(host + " resolves to the " + kind + " address " + address.getHostAddress()
                + (reach == Reach.PUBLIC ? ", which only hosts allowed by name or with private: true may reach"
                        : ", which only hosts the manifest allows by name may reach"));
    }

    /** The first refusal among the addresses, if any: one refused answer refuses the host. */
    public static Optional<String> refusal(String host, List<InetAddress> addresses, Reach reach) {
        for (InetAddress a : addresses) {
            Optional<String> r = refusal(host, a, reach);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static String kind(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second <= 127) {
                return "shared (CGNAT)";
            }
            if (first == 0 || first >= 240) {
                return "reserved";
            }
        }
        if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "unique-local";
        }
        return null;
    }
}
