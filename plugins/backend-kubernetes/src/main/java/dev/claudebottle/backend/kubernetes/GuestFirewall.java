package dev.claudebottle.backend.kubernetes;

/**
 * The guest pod's own firewall, set in its network namespace by an init container that holds
 * {@code NET_ADMIN} before the agent's container starts (which holds no such capability): the guest
 * sends to loopback and to its bundle pod's address on the daemons' ports, and takes in loopback and
 * replies, nothing else. It holds even
 * where the cluster's network plugin ignores NetworkPolicies.
 */
final class GuestFirewall {
    private GuestFirewall() {
    }

    /**
     * The init container's script for a bundle at {@code address} serving {@code ports} (comma-separated):
     * out, loopback and the bundle's daemons only; in, loopback and replies only.
     */
    static String script(String address, String ports) {
        return String.join(" && ",
                "iptables -A OUTPUT -o lo -j ACCEPT",
                "iptables -A OUTPUT -p tcp -d " + address + " -m multiport --dports " + ports + " -j ACCEPT",
                "iptables -A OUTPUT -p tcp -j REJECT --reject-with tcp-reset",
                "iptables -A OUTPUT -j REJECT",
                "iptables -A INPUT -i lo -j ACCEPT",
                "iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "iptables -A INPUT -j DROP",
                // a pod without IPv6 has nothing to fence there
                "{ [ ! -e /proc/net/if_inet6 ] || { ip6tables -A OUTPUT -o lo -j ACCEPT"
                        + " && ip6tables -A OUTPUT -j REJECT && ip6tables -A INPUT -i lo -j ACCEPT"
                        + " && ip6tables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
                        + " && ip6tables -A INPUT -j DROP; }; }");
    }
}
