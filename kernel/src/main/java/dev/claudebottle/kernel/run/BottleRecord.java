package dev.claudebottle.kernel.run;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code bottle ls} and {@code bottle resume} know of a bottle, written to its state dir
 * before anything starts.
 *
 * @param slug      the bottle's slug
 * @param agent     the agent's name
 * @param bottle    the bottle's name
 * @param backend   the backend it runs on
 * @param manifest  the manifest it came from
 * @param state     {@code starting}, {@code running} or {@code stopping}
 * @param startedAt when the launch began
 */
public record BottleRecord(String slug, String agent, String bottle, String backend, String manifest, String state,
                           Instant startedAt) {
    /** Requires every part. */
    public BottleRecord {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The same record in another state. */
    public BottleRecord withState(String newState) {
        return new BottleRecord(slug, agent, bottle, backend, manifest, newState, startedAt);
    }
}
