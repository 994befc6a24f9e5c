package dev.claudebottle.backend.docker;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A container to create.
 *
 * @param name        the container's name
 * @param image       the image
 * @param env         {@code K=V} entries (for the bundle these include secrets: never log them)
 * @param labels      labels, always with {@code claude-bottle.slug} and {@code claude-bottle.role}
 * @param networkMode the network to start on, or {@code container:<id>} to share another's
 * @param aliases     network aliases on that network
 * @param binds       {@code host:container[:ro]} bind mounts
 * @param user        the user the main process runs as, if not the image's
 * @param entrypoint  the entrypoint, if not the image's
 * @param cmd         the command, if not the image's
 * @param extraHosts  {@code name:ip} entries for /etc/hosts
 * @param capAdd      capabilities to add
 * @param publish     container ports to publish on a random port of a host address
 * @param hostname    the container's host name, if not Docker's (its short id)
 */
public record ContainerSpec(String name, String image, List<String> env, Map<String, String> labels,
                            String networkMode, List<String> aliases, List<String> binds, Optional<String> user,
                            List<String> entrypoint, List<String> cmd, List<String> extraHosts, List<String> capAdd,
                            List<Published> publish, Optional<String> hostname) {
    /** Copies every list. */
    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(networkMode, "networkMode");
        aliases = List.copyOf(aliases);
        binds = List.copyOf(binds);
        Objects.requireNonNull(user, "user");
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        extraHosts = List.copyOf(extraHosts);
        capAdd = List.copyOf(capAdd);
        publish = List.copyOf(publish);
        Objects.requireNonNull(hostname, "hostname");
    }

    /**
     * A container port published on a random port of one host address.
     *
     * @param hostIp        the host address to listen on, e.g. {@code 127.13.37.42}
     * @param containerPort the container's TCP port
     */
    public record Published(String hostIp, int containerPort) {
        /** Requires the address. */
        public Published {
            Objects.requireNonNull(hostIp, "hostIp");
        }
    }

    /** Never prints env values: the bundle's env holds credentials. */
    @Override
    public String toString() {
        return "ContainerSpec[" + name + " " + image + " on " + networkMode + ", " + env.size() + " env entries]";
    }
}
