package dev.claudebottle.backend.kubernetes;

/**
 * The guest pod's own firewall, set in its network namespace by an init container that holds
 * {@code NET_ADMIN} before the agent's container starts (which holds no such capability): the guest
 * sends to loopback and to its bundle pod's address on the daemons' ports, nothing else. It holds even
 * where the cluster's network plugin ignores NetworkPolicies.
 */
final class GuestFirewall {
    private GuestFirewall() {
    }

    /** The init container's script for a bundle at {@code address} serving {@code ports} (comma-separated). */
    static String script(String address, String ports) {
        return String.join(" && ",
                "iptables -A OUTPUT -o lo -j ACCEPT",
                "iptables -A OUTPUT -p tcp -d " + address + " -m multiport --dports " + ports + " -j ACCEPT",
                "iptables -A OUTPUT -p tcp -j REJECT --reject-with tcp-reset",
                "iptables -A OUTPUT -j REJECT",
                // a pod without IPv6 has nothing to fence there
                "{ [ ! -e /proc/net/if_inet6 ] || { ip6tables -A OUTPUT -o lo -j ACCEPT"
                        + " && ip6tables -A OUTPUT -j REJECT; }; }");
    }
}
