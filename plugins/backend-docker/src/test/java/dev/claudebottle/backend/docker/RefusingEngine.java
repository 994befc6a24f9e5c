package dev.claudebottle.backend.docker;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A test engine that refuses every call a test did not override, so no test touches Docker by accident. */
abstract class RefusingEngine implements DockerEngine {
    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("not used by this test");
    }

    @Override
    public EngineInfo info() {
        throw refused();
    }

    @Override
    public int cpus() {
        throw refused();
    }

    @Override
    public Optional<String> imageId(String reference) {
        throw refused();
    }

    @Override
    public String build(InputStream context, String tag, Map<String, String> buildArgs, Consumer<String> progress) {
        throw refused();
    }

    @Override
    public String createNetwork(String name, boolean internal, Map<String, String> labels) {
        throw refused();
    }

    @Override
    public Subnet subnet(String network) {
        throw refused();
    }

    @Override
    public boolean internal(String network) {
        throw refused();
    }

    @Override
    public List<String> networksOf(String containerId) {
        throw refused();
    }

    @Override
    public String image(String containerId) {
        throw refused();
    }

    @Override
    public boolean networkExists(String name) {
        throw refused();
    }

    @Override
    public void removeNetwork(String nameOrId) {
        throw refused();
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        throw refused();
    }

    @Override
    public void connect(String network, String containerId, List<String> aliases) {
        throw refused();
    }

    @Override
    public void start(String containerId) {
        throw refused();
    }

    @Override
    public void remove(String containerId) {
        throw refused();
    }

    @Override
    public String ipAddress(String containerId, String network) {
        throw refused();
    }

    @Override
    public int waitForExit(String containerId, Duration timeout) {
        throw refused();
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        throw refused();
    }

    @Override
    public boolean followLogs(String containerId, Duration timeout, Predicate<String> done) {
        throw refused();
    }

    @Override
    public int exec(String containerId, String user, List<String> argv, List<String> env, InputStream stdin,
                    OutputStream stdout, OutputStream stderr) {
        throw refused();
    }

    @Override
    public int execTerminal(String containerId, String user, List<String> argv, InputStream in, OutputStream out,
                            int columns, int rows) {
        throw refused();
    }

    @Override
    public void signal(String containerId, String signal) {
        throw refused();
    }

    @Override
    public void copy(String containerId, InputStream tar) {
        throw refused();
    }

    @Override
    public List<String> containers(Map<String, String> labels) {
        throw refused();
    }

    @Override
    public Optional<String> label(String containerId, String key) {
        throw refused();
    }

    @Override
    public Optional<String> networkLabel(String network, String key) {
        throw refused();
    }

    @Override
    public boolean running(String containerId) {
        throw refused();
    }

    @Override
    public List<String> networks(Map<String, String> labels) {
        throw refused();
    }

    @Override
    public void close() {
    }

    @Override
    public int publishedPort(String containerId, int containerPort) {
        throw refused();
    }

    @Override
    public void tag(String image, String reference) {
        throw refused();
    }

    @Override
    public void push(String reference, Consumer<String> progress) {
        throw refused();
    }

    @Override
    public void removeImage(String reference) {
        throw refused();
    }
}
