package dev.claudebottle.spi.manifest;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An extra secret pattern from the manifest.
 *
 * @param name  the name shown in the 403 body and the audit log
 * @param regex a Java regular expression (validated at load)
 */
public record DlpPattern(String name, String regex) {
    /** Requires both parts and a valid regex. */
    public DlpPattern {
        Objects.requireNonNull(name, "name");
        Pattern.compile(Objects.requireNonNull(regex, "regex"));
    }
}
