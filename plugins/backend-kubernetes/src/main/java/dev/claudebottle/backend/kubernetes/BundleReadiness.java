package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.contract.BundleLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether the bundle's log, line by line as it is written, says every daemon listens (and, with route
 * values given, that the gateway bound every route), or that the bundle failed. Only a whole line of a
 * daemon's own counts: the bundle escapes every control character of what it logs, so no text a request
 * carries can begin a line of its own.
 */
final class BundleReadiness {
    private static final Pattern LOADED = Pattern.compile("\\S+ " + BundleLayout.GATEWAY + ": policy loaded: .*");
    private static final String BOUND = "every route bound";
    private final Set<String> waiting = new LinkedHashSet<>();
    private final Optional<Pattern> bound;
    private final List<String> seen = new ArrayList<>();
    private Optional<String> failure = Optional.empty();

    /**
     * Waits for each of {@code daemons}, and, where values of {@code generation} were given, for the
     * gateway's word that it bound every route with them.
     */
    BundleReadiness(List<String> daemons, Optional<String> generation) {
        waiting.addAll(daemons);
        bound = generation.filter(g -> daemons.contains(BundleLayout.GATEWAY)).map(g -> Pattern.compile("\\S+ "
                + BundleLayout.GATEWAY + ": policy loaded: .*, every route bound \\(values " + Pattern.quote(g)
                + "\\)"));
        bound.ifPresent(b -> waiting.add(BOUND));
    }

    /** Takes one line; true once the log decided: every wait met, or a failure. */
    synchronized boolean take(String line) {
        seen.add(line);
        if (line.contains("claude-bottle bundle:") || line.startsWith("Exception in thread")) {
            failure = Optional.of("the bundle failed");
        } else if (waiting.contains(BOUND) && LOADED.matcher(line).matches()) {
            if (!bound.orElseThrow().matcher(line).matches()) {
                failure = Optional.of("the gateway did not bind every route with the values it was given");
            }
            waiting.remove(BOUND);
        }
        waiting.removeIf(d -> line.matches("\\S+ " + Pattern.quote(d) + ": listening on .*"));
        return failure.isPresent() || waiting.isEmpty();
    }

    /** What the log has not said yet, or why the bundle failed; empty when it is ready. */
    synchronized Optional<String> missing() {
        if (failure.isPresent()) {
            return failure;
        }
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", waiting.stream().map(w -> w.equals(BOUND)
                ? "the gateway's routes (not every one bound)" : w + " not listening").toList()));
    }

    /** The last lines it took, for an error. */
    synchronized List<String> last(int count) {
        return List.copyOf(seen.subList(Math.max(0, seen.size() - count), seen.size()));
    }
}
