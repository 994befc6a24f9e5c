package dev.claudebottle.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Tries a running bottle's bundle ports from outside the bottle: a neighbour on the egress network, and the host. */
final class BundleReach {
    private BundleReach() {
    }

    /** The ways in that answered, as {@code "PORT from WHERE"}; empty when the bundle serves only its guest. */
    static List<String> fromOutside(String slug, String egress, String agentImage, int... ports) throws Exception {
        String bundle = Docker.run("ps", "-q", "--filter", "label=claude-bottle.slug=" + slug,
                "--filter", "label=claude-bottle.role=bundle");
        String egressIp = Docker.run("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + egress
                + "\").IPAddress}}", bundle);
        String internalIp = Docker.run("inspect", "-f", "{{(index .NetworkSettings.Networks \"claude-bottle-"
                + slug + "\").IPAddress}}", bundle);
        List<String> open = new ArrayList<>();
        for (int port : ports) {
            // A neighbour on the egress network, at the bundle's address there.
            String neighbour = Docker.run("run", "--rm", "--network", egress, agentImage, "bash", "-c",
                    "timeout 3 bash -c '</dev/tcp/" + egressIp + "/" + port + "' 2>/dev/null && echo open || echo closed");
            if (neighbour.equals("open")) {
                open.add(port + " from the egress network");
            }
            // The Docker host, at the bundle's address on the bottle's network.
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(internalIp, port), 3000);
                open.add(port + " from the host");
            } catch (IOException refused) {
                // what the fence is for
            }
        }
        return open;
    }
}
