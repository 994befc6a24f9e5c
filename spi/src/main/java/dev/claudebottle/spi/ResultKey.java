package dev.claudebottle.spi;

import java.util.Objects;

/**
 * Names a typed value one launch step produces ({@link StepContext#produce}) and later steps read
 * ({@link StepContext#result}): the way results travel between steps, each produced once per
 * launch. The step that produces it owns the key; a backend keeps its own keys private.
 *
 * @param name what the value is, for messages, e.g. {@code docker.network}
 * @param type its type
 * @param <T>  its type
 */
public record ResultKey<T>(String name, Class<T> type) {
    /** Requires both parts. */
    public ResultKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
