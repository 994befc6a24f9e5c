package dev.claudebottle.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One prerequisite as {@code bottle doctor} reports it.
 *
 * @param name   what was checked ("docker engine")
 * @param status the outcome
 * @param detail what was found ("28.2.2 on linux")
 * @param hint   what to do when it is not {@link Status#OK}
 */
public record Check(String name, Status status, String detail, Optional<String> hint) {
    /** The outcome of a check. */
    public enum Status {
        /** Present and usable. */
        OK,
        /** Usable with a caveat. */
        WARN,
        /** Missing or unusable. */
        FAIL
    }

    /** Requires name, status and detail. */
    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(hint, "hint");
    }

    /** A passing check. */
    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, Optional.empty());
    }

    /** A check that passes with a caveat. */
    public static Check warn(String name, String detail, String hint) {
        return new Check(name, Status.WARN, detail, Optional.of(hint));
    }

    /** A failing check. */
    public static Check fail(String name, String detail, String hint) {
        return new Check(name, Status.FAIL, detail, Optional.of(hint));
    }
}
