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
 * @param guestHome the agent's home in the guest
 * @param owner     the pid of the CLI process the bottle lives and dies with; 0 once detached
 * @param command   the agent's command, for {@code bottle resume}
 */
public record BottleRecord(String slug, String agent, String bottle, String backend, String manifest, String state,
                           Instant startedAt, String guestHome, long owner, java.util.List<String> command) {
    /** Requires every part. */
    public BottleRecord {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(guestHome, "guestHome");
        command = command == null ? java.util.List.of() : java.util.List.copyOf(command);
    }

    /** The same record in another state. */
    public BottleRecord withState(String newState) {
        return new BottleRecord(slug, agent, bottle, backend, manifest, newState, startedAt, guestHome, owner,
                command);
    }

    /** The same record, no longer tied to a CLI process. */
    public BottleRecord detached() {
        return new BottleRecord(slug, agent, bottle, backend, manifest, state, startedAt, guestHome, 0, command);
    }

    /** Whether the bottle still has an owner: detached, or its CLI process is alive. */
    public boolean owned() {
        return owner == 0 || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    }
}
