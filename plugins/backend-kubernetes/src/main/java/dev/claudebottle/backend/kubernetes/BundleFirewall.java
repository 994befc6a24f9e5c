package dev.claudebottle.backend.kubernetes;

import java.util.List;
import java.util.Optional;

/**
 * The bundle pod's own firewall: its daemons answer its guest alone, whatever the cluster's network
 * plugin makes of NetworkPolicies. An init container refuses the daemons' ports to every address before
 * the daemons start; once the guest pod has its address, the launch admits that one address through
 * the pod's {@code fence} container, which alone holds {@code NET_ADMIN} and serves nothing. The node's
 * kubelet is refused too: the bundle's readiness is read from its log.
 */
final class BundleFirewall {
    /** The container the launch admits the guest through. */
    static final String CONTAINER = "fence";

    private BundleFirewall() {
    }

    /** The init container's script: loopback, and nobody on {@code ports} (comma-separated). */
    static String refuseAll(String ports) {
        return String.join(" && ",
                "iptables -A INPUT -i lo -j ACCEPT",
                "iptables -A INPUT -p tcp -m multiport --dports " + ports + " -j REJECT --reject-with tcp-reset",
                "{ [ ! -e /proc/net/if_inet6 ] || { ip6tables -A INPUT -i lo -j ACCEPT"
                        + " && ip6tables -A INPUT -p tcp -m multiport --dports " + ports + " -j REJECT; }; }");
    }

    /** The argv that lets {@code guest} (an IPv4 address) reach {@code ports}, ahead of the refusal. */
    static List<String> admit(String guest, String ports) {
        if (!guest.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("the guest pod's address " + guest + " is not an IPv4 address");
        }
        return List.of("iptables", "-I", "INPUT", "1", "-s", guest + "/32", "-p", "tcp", "-m", "multiport", "--dports",
                ports, "-j", "ACCEPT");
    }

    /**
     * What in the INPUT chain ({@code iptables -S INPUT}) differs from the fence for {@code guest} on
     * {@code ports}, if anything: the guest admitted first, the daemons' ports refused to all others after.
     */
    static Optional<String> difference(String guest, String ports, List<String> listing) {
        List<String> rules = listing.stream().map(String::strip).filter(l -> l.startsWith("-A INPUT")).toList();
        String admitted = "-A INPUT -s " + guest + "/32 -p tcp -m multiport --dports " + ports + " -j ACCEPT";
        String refused = "-A INPUT -p tcp -m multiport --dports " + ports + " -j REJECT --reject-with tcp-reset";
        if (rules.isEmpty() || !rules.get(0).equals(admitted)) {
            return Optional.of("the bundle's INPUT chain does not begin by admitting its guest alone: "
                    + (rules.isEmpty() ? "it is empty" : "'" + rules.get(0) + "'"));
        }
        for (String rule : rules.subList(1, rules.size())) {
            if (rule.equals(refused)) {
                return Optional.empty();
            }
            if (rule.contains("-j ACCEPT") && !rule.equals("-A INPUT -i lo -j ACCEPT")) {
                return Optional.of("the bundle's INPUT chain admits more before refusing its ports: '" + rule + "'");
            }
        }
        return Optional.of("the bundle's INPUT chain does not refuse its ports to others");
    }
}
