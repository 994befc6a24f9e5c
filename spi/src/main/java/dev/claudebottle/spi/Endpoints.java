package dev.claudebottle.spi;

import java.util.Map;

/**
 * Where the guest reaches each bundle port, by port name, as the backend published them.
 *
 * @param byPort the endpoint of every guest port
 */
public record Endpoints(Map<String, Endpoint> byPort) {
    /** Copies the map. */
    public Endpoints {
        byPort = Map.copyOf(byPort);
    }

    /** The endpoint of a port; an unknown name fails naming it. */
    public Endpoint get(String portName) {
        Endpoint e = byPort.get(portName);
        if (e == null) {
            throw new IllegalArgumentException("no port named " + portName);
        }
        return e;
    }
}
