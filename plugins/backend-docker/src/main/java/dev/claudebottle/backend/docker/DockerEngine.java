package dev.claudebottle.backend.docker;

/** The one place that talks to the Docker engine; nothing else builds a Docker client. */
public interface DockerEngine extends AutoCloseable {
    /**
     * What the engine says about itself.
     *
     * @throws dev.claudebottle.spi.EnvironmentException when the engine does not answer
     */
    EngineInfo info();

    /** The cores of the machine the engine runs containers on (Docker Desktop's VM, not its host). */
    int cpus();

    /** The id of a local image, if it exists. */
    java.util.Optional<String> imageId(String reference);

    /**
     * Builds an image from a tar build context without pulling, streaming the build's output lines.
     *
     * @return the new image's id
     */
    String build(java.io.InputStream context, String tag, java.util.Map<String, String> buildArgs,
                 java.util.function.Consumer<String> progress);

    /** Creates a bridge network; {@code internal} ones have no route out. Returns its id. */
    String createNetwork(String name, boolean internal, java.util.Map<String, String> labels);

    /** A network's IPv4 subnet and gateway (the host's address on its bridge). */
    record Subnet(String cidr, String gateway) {
        /**
         * The subnet as the engine reports it: a network made with {@code --subnet} alone reports no
         * gateway, and has the subnet's first address as its gateway all the same.
         */
        static Subnet of(String cidr, String gateway) {
            if (gateway != null && !gateway.isBlank()) {
                return new Subnet(cidr, gateway);
            }
            String[] parts = cidr.split("/");
            byte[] a;
            try {
                a = java.net.InetAddress.getByName(parts[0]).getAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not a subnet: " + cidr, e);
            }
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            long base = ((a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL))
                    & (bits == 0 ? 0 : 0xffffffffL << (32 - bits) & 0xffffffffL);
            long first = base + 1;
            return new Subnet(cidr, (first >> 24 & 0xff) + "." + (first >> 16 & 0xff) + "." + (first >> 8 & 0xff) + "."
                    + (first & 0xff));
        }
    }

    /** The IPv4 subnet of a network. */
    Subnet subnet(String network);

    /** Whether a network is internal: the engine gives it no route out. */
    boolean internal(String network);

    /** The names of the networks a container is attached to. */
    java.util.List<String> networksOf(String containerId);

    /** The id of the image a container was created from. */
    String image(String containerId);

    /** Whether a network with exactly this name exists. */
    boolean networkExists(String name);

    /** Removes a network; a missing one is not an error. */
    void removeNetwork(String nameOrId);

    /**
     * Creates a container and returns its id.
     *
     * @throws CpuCapRefused when the spec caps CPU and the engine cannot; nothing was created
     * @throws dev.claudebottle.spi.EnvironmentException when the engine would drop the spec's memory or
     *                                                   process cap; nothing is left
     */
    String createContainer(ContainerSpec spec);

    /** Connects a container to a further network. */
    void connect(String network, String containerId, java.util.List<String> aliases);

    /** Starts a container. */
    void start(String containerId);

    /** Sends a signal ({@code HUP}, say) to a running container's first process. */
    void signal(String containerId, String signal);

    /** Removes a container with its anonymous volumes, stopping it first; a missing one is not an error. */
    void remove(String containerId);

    /** The container's IP address on a network. */
    String ipAddress(String containerId, String network);

    /** Waits for a container to exit and returns its status code. */
    int waitForExit(String containerId, java.time.Duration timeout);

    /** The container's last log lines. */
    java.util.List<String> logs(String containerId, int tail);

    /**
     * Follows a container's log from its first line, handing each line to {@code done} until it
     * accepts one, the log ends (the container stopped or went) or {@code timeout} passes.
     *
     * @return whether {@code done} accepted a line
     */
    boolean followLogs(String containerId, java.time.Duration timeout, java.util.function.Predicate<String> done)
            throws InterruptedException;

    /**
     * Runs a command in a running container, streaming its output; returns its exit code.
     */
    default int exec(String containerId, String user, java.util.List<String> argv, java.util.List<String> env,
                     java.io.OutputStream stdout, java.io.OutputStream stderr) {
        return exec(containerId, user, argv, env, null, stdout, stderr);
    }

    /**
     * Runs a command in a running container with its standard input read from {@code stdin} until
     * its end ({@code null}: no input), streaming its output; returns its exit code.
     */
    int exec(String containerId, String user, java.util.List<String> argv, java.util.List<String> env,
             java.io.InputStream stdin, java.io.OutputStream stdout, java.io.OutputStream stderr);

    /** Runs a command on a terminal in a running container, wired to {@code in} and {@code out}. */
    int execTerminal(String containerId, String user, java.util.List<String> argv, java.io.InputStream in,
                     java.io.OutputStream out, int columns, int rows);

    /** Unpacks a tar archive into the container at {@code /}. */
    void copy(String containerId, java.io.InputStream tar);

    /** Ids of containers carrying all these labels, running or not. */
    java.util.List<String> containers(java.util.Map<String, String> labels);

    /** A label of a container, if set. */
    java.util.Optional<String> label(String containerId, String key);

    /** A label of a network, if set. */
    java.util.Optional<String> networkLabel(String network, String key);

    /** Whether the container is running. */
    boolean running(String containerId);

    /** Names of networks carrying all these labels. */
    java.util.List<String> networks(java.util.Map<String, String> labels);

    /** The host port a started container's TCP port is published on. */
    int publishedPort(String containerId, int containerPort);

    /** Gives an image a further reference. */
    void tag(String image, String reference);

    /** Pushes a reference to its registry, streaming the push's status lines. */
    void push(String reference, java.util.function.Consumer<String> progress);

    /** Removes an image reference; a missing one is not an error. */
    void removeImage(String reference);

    @Override
    void close();
}
