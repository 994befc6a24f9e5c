package dev.claudebottle.backend.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bundle pod's own firewall: it takes in nothing but loopback, replies to what it sent, and, once
 * the launch admits it, its guest's address on the daemons' ports, whatever the cluster's network
 * plugin makes of NetworkPolicies. An init container sets it before the daemons start; the launch
 * admits the guest through the pod's {@code fence} container, which alone holds {@code NET_ADMIN} and
 * serves nothing. The node's kubelet is refused too: the bundle's readiness is read from its log.
 */
final class BundleFirewall {
    /** The container the launch admits the guest through. */
    static final String CONTAINER = "fence";
    /** What the INPUT chain holds after the guest's admission, for either address family. */
    private static final String LOOPBACK = "-A INPUT -i lo -j ACCEPT";
    private static final String REPLIES = "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT";
    private static final String REST = "-A INPUT -j DROP";
    /** Reads every table of both families, as {@code iptables-save} prints them. */
    static final List<String> READ = List.of("sh", "-c", "iptables-save && echo '# ipv6' && "
            + "if [ -e /proc/net/if_inet6 ]; then ip6tables-save; else echo '# no ipv6'; fi");

    private BundleFirewall() {
    }

    /** The init container's script: loopback and replies in, nothing else, for both families. */
    static String refuseAll() {
        return String.join(" && ", rules("iptables"), "{ [ ! -e /proc/net/if_inet6 ] || { " + rules("ip6tables")
                + "; }; }");
    }

    private static String rules(String command) {
        return String.join(" && ", command + " " + LOOPBACK, command + " " + REPLIES, command + " " + REST);
    }

    /** The argv that lets {@code guest} (an IPv4 address) reach {@code ports}, ahead of everything else. */
    static List<String> admit(String guest, String ports) {
        if (!guest.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("the guest pod's address " + guest + " is not an IPv4 address");
        }
        return List.of("iptables", "-I", "INPUT", "1", "-s", guest + "/32", "-p", "tcp", "-m", "multiport", "--dports",
                ports, "-j", "ACCEPT");
    }

    /**
     * What in {@code saved} (the output of {@link #READ}) differs from the fence for {@code guest} on
     * {@code ports}, if anything: in the filter table, the guest admitted, loopback, replies and a drop of
     * the rest, in that order, and nothing else in any table of either family; no chain of its own, which
     * a rule could jump to, and no rewriting (nat, mangle, raw) that could send traffic around the filter.
     */
    static Optional<String> difference(String guest, String ports, String saved) {
        int split = saved.indexOf("# ipv6");
        if (split < 0) {
            return Optional.of("the bundle's rules could not be read whole");
        }
        // rules of the other iptables, or of nft's own, which this reading does not show
        Optional<String> unseen = saved.lines().map(String::strip).filter(l -> l.startsWith("# Warning")
                || l.startsWith("# Table")).findFirst();
        if (unseen.isPresent()) {
            return Optional.of("the bundle has rules this reading cannot show: '" + unseen.get() + "'");
        }
        String v6 = saved.substring(split);
        String admitted = "-A INPUT -s " + guest + "/32 -p tcp -m multiport --dports " + ports + " -j ACCEPT";
        Optional<String> four = family("IPv4", saved.substring(0, split), List.of(admitted, LOOPBACK, REPLIES, REST));
        if (four.isPresent() || v6.lines().anyMatch(l -> l.strip().equals("# no ipv6"))) {
            return four;
        }
        return family("IPv6", v6, List.of(LOOPBACK, REPLIES, REST));
    }

    private static Optional<String> family(String name, String saved, List<String> expected) {
        String table = "";
        List<String> filter = new ArrayList<>();
        for (String line : saved.lines().map(String::strip).toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith(":") && !List.of("INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING")
                    .contains(line.substring(1).split(" ")[0])) {
                return Optional.of("the bundle's " + name + " " + table + " table has a chain of its own: '" + line
                        + "'");
            } else if (line.startsWith("-A ") && !table.equals("filter")) {
                return Optional.of("the bundle's " + name + " " + table + " table rewrites its traffic: '" + line + "'");
            } else if (line.startsWith("-A ")) {
                filter.add(line);
            }
        }
        if (!filter.equals(expected)) {
            return Optional.of("the bundle's " + name + " filter rules are not its fence's: " + (filter.isEmpty()
                    ? "there are none" : "'" + String.join("'; '", filter) + "'"));
        }
        return Optional.empty();
    }
}
