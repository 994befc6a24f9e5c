package dev.claudebottle.backend.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The guest's own firewall, as the launch installs it in the guest's network namespace and as
 * {@code iptables -S OUTPUT} lists it there later. Docker answers DNS inside user-defined networks
 * at 127.0.0.11 and, before engine 25.0.5, forwards what it cannot answer even from internal
 * networks: rejected, so the guest has no resolver at all. An internal network still routes to its
 * gateway, which is the host: every address of the host would reach what the host serves. So the
 * guest sends nothing but to its own network, and not to the gateway there.
 */
final class GuestFence {
    private GuestFence() {
    }

    /** The rules of the guest's OUTPUT chain on {@code subnet}, in order, as iptables arguments. */
    static List<List<String>> rules(DockerEngine.Subnet subnet) {
        return List.of(
                List.of("-A", "OUTPUT", "-d", "127.0.0.11", "-j", "REJECT"),
                List.of("-A", "OUTPUT", "-o", "lo", "-j", "ACCEPT"),
                // a reset answers a TCP connect at once; the default ICMP answer keeps it waiting a second
                List.of("-A", "OUTPUT", "-p", "tcp", "-d", subnet.gateway(), "-j", "REJECT", "--reject-with",
                        "tcp-reset"),
                List.of("-A", "OUTPUT", "-d", subnet.gateway(), "-j", "REJECT"),
                List.of("-A", "OUTPUT", "-p", "tcp", "!", "-d", subnet.cidr(), "-j", "REJECT", "--reject-with",
                        "tcp-reset"),
                List.of("-A", "OUTPUT", "!", "-d", subnet.cidr(), "-j", "REJECT"));
    }

    /**
     * What in a listing of the OUTPUT chain ({@code iptables -S OUTPUT}) differs from the rules the
     * launch installs on {@code subnet}, if anything: they must come first, in order. Rules after
     * them see only traffic to the bottle's own network, which the fence lets through anyway.
     */
    static Optional<String> difference(DockerEngine.Subnet subnet, List<String> listing) {
        List<Set<String>> listed = new ArrayList<>();
        for (String line : listing) {
            List<String> words = List.of(line.strip().split("\\s+"));
            if (words.size() > 2 && words.get(0).equals("-A") && words.get(1).equals("OUTPUT")) {
                listed.add(canonical(words.subList(2, words.size())));
            }
        }
        List<List<String>> expected = rules(subnet);
        for (int i = 0; i < expected.size(); i++) {
            List<String> rule = expected.get(i);
            String wanted = String.join(" ", rule.subList(2, rule.size()));
            if (i >= listed.size()) {
                return Optional.of(listed.isEmpty() ? "the guest's OUTPUT chain has none of the fence's rules"
                        : "the guest's OUTPUT chain lacks the fence's rule '" + wanted + "'");
            }
            if (!listed.get(i).equals(canonical(rule.subList(2, rule.size())))) {
                return Optional.of("the guest's OUTPUT chain has '" + String.join(" ", listed.get(i)) + "' where the "
                        + "fence has '" + wanted + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * A rule's matches and target as a set, whatever order iptables prints them in: an address
     * without a mask is one host, a REJECT without a reason answers port-unreachable, and a
     * protocol's own match module adds nothing.
     */
    static Set<String> canonical(List<String> words) {
        Set<String> parts = new TreeSet<>();
        boolean rejects = false;
        boolean reason = false;
        for (int i = 0; i < words.size(); i++) {
            boolean not = words.get(i).equals("!");
            if (not) {
                i++;
            }
            if (i >= words.size()) {
                parts.add("!");
                break;
            }
            String option = words.get(i);
            String value = i + 1 < words.size() && !words.get(i + 1).startsWith("-") ? words.get(++i) : "";
            if ((option.equals("-d") || option.equals("-s")) && !value.contains("/")) {
                value = value + "/32";
            }
            if (option.equals("-m") && (value.equals("tcp") || value.equals("udp"))) {
                continue;
            }
            rejects |= option.equals("-j") && value.equals("REJECT");
            reason |= option.equals("--reject-with");
            parts.add((not ? "! " : "") + option + (value.isEmpty() ? "" : " " + value));
        }
        if (rejects && !reason) {
            parts.add("--reject-with icmp-port-unreachable");
        }
        return parts;
    }
}
