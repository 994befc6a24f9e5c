package dev.claudebottle.backend.docker;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guest's routing tables as the kernel lists them ({@code /proc/net/route},
 * {@code /proc/net/ipv6_route}), and whether every route stays on the bottle's network. A guest
 * on its internal network alone has the route to that network, and (as engines set internal
 * networks up) may have a default route through that network's own gateway, which leads nowhere:
 * the engine does not forward off an internal network, and the guest's firewall drops all but the
 * bundle. A guest attached to a further network has that network's route, or a gateway on it.
 */
final class GuestRoutes {
    private GuestRoutes() {
    }

    /**
     * The first IPv4 route that leads off {@code subnet}, if any: one to another network, or one
     * through another gateway than the network's own. The table's words are the kernel's, in the
     * host's byte order (little-endian).
     */
    static Optional<String> offNetwork(DockerEngine.Subnet subnet, List<String> table) {
        String[] cidr = subnet.cidr().split("/");
        int prefix = Integer.parseInt(cidr[1]);
        long network = ipv4(cidr[0]);
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long ownGateway = subnet.gateway() == null ? -1 : ipv4(subnet.gateway());
        for (String line : table) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            long destination = kernelWord(f[1]);
            long gateway = kernelWord(f[2]);
            long routeMask = kernelWord(f[7]);
            String route = dotted(destination) + "/" + Long.bitCount(routeMask) + " on " + f[0]
                    + (gateway != 0 ? " via " + dotted(gateway) : "");
            boolean onNetwork = gateway == 0 ? (routeMask & mask) == mask && (destination & mask) == network
                    : gateway == ownGateway;
            if (!onNetwork) {
                return Optional.of("the guest has a route off " + subnet.cidr() + ": " + route);
            }
        }
        return Optional.empty();
    }

    /**
     * The first IPv6 route that leads anywhere but the guest itself or its own link (link-local
     * and multicast), if any.
     */
    static Optional<String> offLink(List<String> table) {
        for (String line : table) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 10 || f[0].length() != 32) {
                continue;
            }
            String device = f[9];
            int length = Integer.parseInt(f[1], 16);
            BigInteger destination = new BigInteger(f[0], 16);
            boolean linkLocal = length >= 10 && destination.shiftRight(118).intValue() == 0x3FA;
            boolean multicast = length >= 8 && destination.shiftRight(120).intValue() == 0xFF;
            if (!device.equals("lo") && !linkLocal && !multicast) {
                return Optional.of("the guest has an IPv6 route off its link: " + f[0] + "/" + length + " on "
                        + device);
            }
        }
        return Optional.empty();
    }

    /** A kernel word of {@code /proc/net/route}: the address's bytes as a little-endian number. */
    private static long kernelWord(String hex) {
        long v = Long.parseLong(hex, 16);
        return ((v & 0xFF) << 24) | ((v & 0xFF00) << 8) | ((v >> 8) & 0xFF00) | ((v >> 24) & 0xFF);
    }

    private static long ipv4(String dotted) {
        long v = 0;
        for (String part : dotted.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    private static String dotted(long v) {
        List<String> parts = new ArrayList<>();
        for (int shift = 24; shift >= 0; shift -= 8) {
            parts.add(Long.toString((v >> shift) & 0xFF));
        }
        return String.join(".", parts);
    }
}
