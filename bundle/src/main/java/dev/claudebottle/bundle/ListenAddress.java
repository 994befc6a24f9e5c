package dev.claudebottle.bundle;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Optional;

/**
 * Where the daemons listen: on every interface, or — when the backend names the bottle's network
 * ({@code CLAUDE_BOTTLE_LISTEN_SUBNET}, an IPv4 CIDR) — on the bundle's own address in it only, so
 * that no other network the bundle is attached to reaches them.
 */
final class ListenAddress {
    private ListenAddress() {
    }

    /** The address to bind: the one in {@code subnet}, or every interface's when none is named. */
    static String of(Optional<String> subnet) throws SocketException {
        if (subnet.isEmpty() || subnet.get().isBlank()) {
            return "0.0.0.0";
        }
        String cidr = subnet.get().strip();
        int slash = cidr.indexOf('/');
        int bits;
        byte[] network;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
            network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        } catch (NumberFormatException | StringIndexOutOfBoundsException | UnknownHostException e) {
            throw new IllegalArgumentException("CLAUDE_BOTTLE_LISTEN_SUBNET is not an IPv4 CIDR: " + cidr);
        }
        if (slash < 0 || network.length != 4 || bits < 0 || bits > 32) {
            throw new IllegalArgumentException("CLAUDE_BOTTLE_LISTEN_SUBNET is not an IPv4 CIDR: " + cidr);
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && within(a.getAddress(), network, bits)) {
                    return a.getHostAddress();
                }
            }
        }
        throw new IllegalArgumentException("the bundle has no address in " + cidr + ", the network it must listen on");
    }

    static boolean within(byte[] address, byte[] network, int bits) {
        int a = toInt(address);
        int n = toInt(network);
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (a & mask) == (n & mask);
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
