package dev.claudebottle.backend.docker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * One engine connection for the whole process: made on first use, handed to every operation as a
 * view whose {@code close()} does nothing (operations close what they get, as they would a
 * connection of their own), and closed once, by {@link #close()}.
 */
public final class SharedEngine implements Supplier<DockerEngine>, AutoCloseable {
    private final Supplier<DockerEngine> connect;
    private DockerEngine engine;
    private DockerEngine view;

    /** Shares what {@code connect} makes. */
    public SharedEngine(Supplier<DockerEngine> connect) {
        this.connect = connect;
    }

    @Override
    public synchronized DockerEngine get() {
        if (engine == null) {
            engine = connect.get();
            DockerEngine shared = engine;
            view = (DockerEngine) Proxy.newProxyInstance(DockerEngine.class.getClassLoader(),
                    new Class<?>[] {DockerEngine.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            return null;
                        }
                        try {
                            return method.invoke(shared, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
        return view;
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Whether the connection was made. */
    synchronized boolean connected() {
        return engine != null;
    }

    /**
     * Closes the connection, if one was made; a later {@link #get()} makes a new one. While the
     * process shuts down (a closed terminal's SIGHUP, Ctrl-C, SIGTERM) the connection stays open:
     * the teardown hook removes the bottle through it, and the process's exit closes it.
     */
    @Override
    public synchronized void close() {
        if (engine != null && !shuttingDown()) {
            engine.close();
            engine = null;
            view = null;
        }
    }
}
