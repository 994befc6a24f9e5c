package dev.claudebottle.kernel;

import dev.claudebottle.spi.Check;
import java.util.List;
import java.util.Objects;

/**
 * What {@code bottle doctor} found.
 *
 * @param backend  the selected backend's name
 * @param sections checks grouped by who made them
 */
public record DoctorReport(String backend, List<Section> sections) {
    /** Copies the list. */
    public DoctorReport {
        Objects.requireNonNull(backend, "backend");
        sections = List.copyOf(sections);
    }

    /**
     * Checks of one component.
     *
     * @param name     {@code kernel} or {@code backend docker}
     * @param plugin   the plugin id
     * @param selected whether this section decides the outcome (kernel and selected backend)
     * @param checks   the checks
     */
    public record Section(String name, String plugin, boolean selected, List<Check> checks) {
        /** Copies the list. */
        public Section {
            checks = List.copyOf(checks);
        }
    }

    /** Whether the kernel and the selected backend have no failing check. */
    public boolean ready() {
        return sections.stream().filter(Section::selected).flatMap(s -> s.checks().stream())
                .noneMatch(c -> c.status() == Check.Status.FAIL);
    }
}
