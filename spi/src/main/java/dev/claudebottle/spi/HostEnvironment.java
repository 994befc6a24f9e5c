package dev.claudebottle.spi;

import java.util.Map;
import java.util.Optional;

/** The host's environment variables, injected so tests can supply their own. */
public interface HostEnvironment {
    /** The value of a variable, if set. */
    Optional<String> get(String name);

    /** Every variable. */
    Map<String, String> all();

    /** A fixed set of variables: the process environment, or a test's own. It never prints a value. */
    static HostEnvironment of(Map<String, String> values) {
        return new FixedHostEnvironment(values);
    }

    /** This process's environment. */
    static HostEnvironment current() {
        return of(System.getenv());
    }
}
