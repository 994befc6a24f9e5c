package dev.claudebottle.spi.manifest;

import java.util.List;
import java.util.Objects;

/**
 * The {@code egress.dlp} section.
 *
 * @param action   what a match does
 * @param patterns patterns added to the built-in ones
 */
public record DlpDef(DlpAction action, List<DlpPattern> patterns) {
    /** The default: block on the built-in patterns. */
    public static final DlpDef DEFAULT = new DlpDef(DlpAction.BLOCK, List.of());

    /** Copies the list. */
    public DlpDef {
        Objects.requireNonNull(action, "action");
        patterns = List.copyOf(patterns);
    }
}
