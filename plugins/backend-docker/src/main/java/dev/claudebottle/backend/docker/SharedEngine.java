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

    /** Whether the connection was made. */
    synchronized boolean connected() {
        return engine != null;
    }

    /** Closes the connection, if one was made; a later {@link #get()} makes a new one. */
    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
            view = null;
        }
    }
}
