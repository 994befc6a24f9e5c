package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.manifest.GuestLimits;
import java.math.BigDecimal;
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
 * @param limits      what the container may take of the host, if it is capped
 */
public record ContainerSpec(String name, String image, List<String> env, Map<String, String> labels,
                            String networkMode, List<String> aliases, List<String> binds, Optional<String> user,
                            List<String> entrypoint, List<String> cmd, List<String> extraHosts, List<String> capAdd,
                            List<Published> publish, Optional<String> hostname, Optional<Limits> limits) {
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
        Objects.requireNonNull(limits, "limits");
    }

    /** A container the engine does not cap: a short-lived helper the launch itself runs. */
    public ContainerSpec(String name, String image, List<String> env, Map<String, String> labels, String networkMode,
                         List<String> aliases, List<String> binds, Optional<String> user, List<String> entrypoint,
                         List<String> cmd, List<String> extraHosts, List<String> capAdd, List<Published> publish,
                         Optional<String> hostname) {
        this(name, image, env, labels, networkMode, aliases, binds, user, entrypoint, cmd, extraHosts, capAdd, publish,
                hostname, Optional.empty());
    }

    /** The same container, capped by {@code limits}. */
    public ContainerSpec withLimits(Limits limits) {
        return new ContainerSpec(name, image, env, labels, networkMode, aliases, binds, user, entrypoint, cmd,
                extraHosts, capAdd, publish, hostname, Optional.of(limits));
    }

    /**
     * What a container may take of the host. Its memory counts swap too, so it has no swap to grow
     * into beyond it.
     *
     * @param memoryBytes the memory its processes hold together
     * @param pids        the processes and threads it may have at once
     * @param cpus        the cores' worth of CPU time it may use, if capped
     */
    public record Limits(long memoryBytes, int pids, Optional<BigDecimal> cpus) {
        /** Requires positive values. */
        public Limits {
            if (memoryBytes <= 0 || pids <= 0) {
                throw new IllegalArgumentException("memory and pids must be positive");
            }
            Objects.requireNonNull(cpus, "cpus");
        }

        /**
         * The guest's limits on an engine with {@code engineCpus} cores: Docker refuses more cores
         * than the engine has, so a bottle asking for more gets them all.
         */
        public static Limits of(GuestLimits guest, int engineCpus) {
            return new Limits(guest.memoryBytes(), guest.pids(), Optional.of(guest.cpusOn(engineCpus)));
        }
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
