package dev.claudebottle.backend.smolmachines;

import java.util.List;
import java.util.Map;

/**
 * One invocation of smolvm: its argv, and env entries its process gets so that {@code -e KEY}
 * forwards them into the guest without the value ever being on an argv.
 *
 * @param argv the command line, starting with the smolvm executable
 * @param env  entries added to smolvm's own env
 */
record SmolvmCall(List<String> argv, Map<String, String> env) {
    SmolvmCall {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /** The argv only: forwarded values stay out of messages. */
    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
