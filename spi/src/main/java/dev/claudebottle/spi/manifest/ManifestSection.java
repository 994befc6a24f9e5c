package dev.claudebottle.spi.manifest;

import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * Extension point: a section of a bottle in the manifest ({@code bottles.<name>.<key>}) that a
 * plugin defines and reads. The kernel hands it the section's node; the plugin checks it with
 * the node's typed accessors, which report problems at their {@code file:line:column} (every
 * problem of a manifest is reported together), and an unknown key stays an error. What it
 * returns is the bottle's {@link BottleDef#section} for that key, for the plugin's provisioner.
 *
 * @param <T> what the section reads into (an immutable record, say)
 */
public interface ManifestSection<T> extends ExtensionPoint {
    /** The key under a bottle, lower-case; not one of the kernel's ({@code env}, {@code egress}). */
    String key();

    /** The type it reads into. */
    Class<T> type();

    /**
     * Reads the section.
     *
     * @return the value, or empty when the node had problems (already reported through it)
     */
    Optional<T> read(SectionNode node);
}
