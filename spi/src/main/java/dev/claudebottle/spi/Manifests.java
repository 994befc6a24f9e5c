package dev.claudebottle.spi;

import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The manifests a plugin's command works with ({@code bottle policy}, {@code bottle supervise}):
 * found as every command finds them, read with every plugin's section and changed by the host
 * (its {@code manifest} module), so a plugin never parses or writes one itself. Injectable.
 */
public interface Manifests {
    /**
     * The manifest a command uses: {@code file} (the {@code -f} argument), else {@code ./bottle.yaml},
     * else the one in the state home, else the embedded default; read and validated with every
     * plugin's section.
     *
     * @throws BadInputException naming every problem at its {@code file:line:column}
     */
    Manifest load(Optional<Path> file);

    /**
     * The bottle a running bottle was launched from, as its manifest reads now; empty when no
     * bottle of that name runs here.
     */
    Optional<dev.claudebottle.spi.manifest.BottleDef> bottleOf(String slug);

    /**
     * Adds an allow rule a person asked for, for exactly {@code host} and {@code port}, at public
     * addresses only ({@code private: false}), to the egress of the bottle that {@code slug} was
     * launched from, with {@code note} as a comment beside it: the file keeps its comments and
     * layout, and a change that would not load is not written.
     *
     * @return the file changed
     * @throws BadInputException when the bottle came from the embedded default, its manifest is
     *                           gone or changed beyond recognition, or its section is written inline
     */
    Path allowHost(String slug, String host, int port, String note);
}
