package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.log.DaemonLog;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Optional;

/**
 * Reloads the policy when its file changes or the process gets SIGHUP. A policy that fails to
 * load is reported and the one in force stays; open tunnels are never touched.
 */
public final class PolicyReloader implements AutoCloseable {
    private final Path file;
    private final GatewayPolicyReader reader;
    private final PolicyHolder holder;
    private final DaemonLog log;
    private WatchService watcher;

    /** Reloads {@code file} into {@code holder}. */
    public PolicyReloader(Path file, GatewayPolicyReader reader, PolicyHolder holder, DaemonLog log) {
        this.file = file.toAbsolutePath();
        this.reader = reader;
        this.holder = holder;
        this.log = log;
    }

    /** Loads the file now; returns whether the new policy is in force. */
    public synchronized boolean reload() {
        try {
            GatewayPolicy policy = reader.read(file);
            holder.set(CompiledPolicy.of(policy));
            log.info(loaded(policy, reader.generation()));
            return true;
        } catch (RuntimeException e) {
            log.error("policy " + file + " not loaded, keeping the one in force: " + e.getMessage());
            return false;
        }
    }

    /**
     * What the log says of a policy in force, with the generation of the values it read; a claim of
     * a warm bottle waits for it to say that every route is bound with the values it gave.
     */
    public static String loaded(GatewayPolicy policy, Optional<String> generation) {
        long unbound = policy.routes().stream().filter(r -> !r.credential().bound()).count();
        return "policy loaded: " + policy.allow().size() + " allow rule(s), " + policy.routes().size() + " route(s)"
                + (unbound == 0 ? ", every route bound" : ", " + unbound + " without its value, refused until bound")
                + generation.map(g -> " (values " + g + ")").orElse("");
    }

    /** Reloads on SIGHUP. */
    public void onSighup() {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload());
    }

    /** Reloads whenever the file is written or replaced, on a daemon thread. */
    public void watch() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        Path dir = file.getParent();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    boolean ours = false;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        ours |= event.context() == null || file.getFileName().equals(event.context());
                    }
                    key.reset();
                    if (ours && file.toFile().isFile()) {
                        reload();
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closing the reloader ends the watch
            }
        }, "gateway-policy-watch");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
