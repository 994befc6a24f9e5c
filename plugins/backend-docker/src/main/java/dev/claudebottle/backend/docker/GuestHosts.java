package dev.claudebottle.backend.docker;

import java.util.List;

/**
 * The guest's {@code /etc/hosts} entry for the bundle. The guest's env names the bundle, so the
 * guest can be created and started before the bundle has an address; once it has one, root adds
 * the entry while the guest is provisioned, and the agent's command waits for it. Docker's own
 * hosts file keeps the guest's name, and the agent, as {@code node}, cannot change the file.
 */
final class GuestHosts {
    /** The name the guest reaches the bundle by. */
    static final String BUNDLE = "claude-bottle-bundle";

    private GuestHosts() {
    }

    /** The command, run as root in the guest, that adds {@code ip} under {@link #BUNDLE}. */
    static List<String> addBundle(String ip) {
        return addBundle(ip, "/etc/hosts");
    }

    /** The same for the hosts file at {@code hostsFile}; the address and names are arguments, never script. */
    static List<String> addBundle(String ip, String hostsFile) {
        if (!ip.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        return List.of("sh", "-c", "printf '%s\\t%s\\n' \"$1\" \"$2\" >> \"$3\"", "add-bundle", ip, BUNDLE,
                hostsFile);
    }
}
