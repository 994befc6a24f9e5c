package dev.claudebottle.spi;

import java.nio.file.Path;

/**
 * Changes a person asked for in the manifest a running bottle came from, made by the kernel so
 * that a plugin never writes a manifest itself: the file keeps its comments and layout, and a
 * change that would not load is not written. Injectable into plugins.
 */
public interface ManifestChanges {
    /**
     * Adds an allow rule for exactly {@code host} and {@code port} to the egress of the bottle that
     * {@code slug} was launched from, with {@code note} as a comment beside it.
     *
     * @return the file changed
     * @throws BadInputException when the bottle came from the embedded default, its manifest is
     *                           gone or changed beyond recognition, or its section is written inline
     */
    Path allowHost(String slug, String host, int port, String note);
}
