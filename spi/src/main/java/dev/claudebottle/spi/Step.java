package dev.claudebottle.spi;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One launch step: an id unique within the launch, a phase, the ids of steps it must follow,
 * a one-line summary for {@code bottle plan}, and the action itself.
 *
 * @param id      lower-case id such as {@code ca.trust}; unique across all plugins of a launch
 * @param phase   the phase it belongs to
 * @param after   ids of steps that must run first (same or earlier phase)
 * @param summary what the step does, in one line, without secret values
 * @param action  the work
 */
public record Step(String id, Phase phase, List<String> after, String summary, Action action) {
    /**
     * The kernel's step that hands the guest home to the agent user ({@code SYSTEM} phase): a
     * step that writes into the home runs after it.
     */
    public static final String HOME = "home";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** Validates the id and copies the list. */
    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(action, "action");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("step id '" + id + "' must match " + ID.pattern());
        }
        after = List.copyOf(after);
    }

    /** A step with no {@code after} constraints. */
    public static Step of(String id, Phase phase, String summary, Action action) {
        return new Step(id, phase, List.of(), summary, action);
    }

    /** A copy of this step that also runs after the given step ids. */
    public Step after(String... ids) {
        var all = new java.util.ArrayList<>(after);
        all.addAll(List.of(ids));
        return new Step(id, phase, all, summary, action);
    }

    @Override
    public String toString() {
        return "Step[" + id + " " + phase + " after=" + after + ": " + summary + "]";
    }
}
