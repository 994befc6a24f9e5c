package dev.claudebottle.provision.git;

import dev.claudebottle.spi.manifest.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code git} entry of a bottle: an upstream the git gate mirrors.
 *
 * @param name         the mirror's name, unique in the bottle
 * @param upstream     the real upstream URL the agent uses
 * @param identityFile the SSH key (absolute, host side), if any
 * @param knownHosts   the known_hosts file (absolute, host side), if any
 * @param push         branch globs the agent may push; empty means read-only
 * @param protect      branches nothing may be pushed to
 * @param tokenEnv     the host variable holding the token for an HTTPS upstream, if any
 * @param username     the user name sent with that token, if not the default
 * @param askUnknownPush whether a push to a branch outside {@code push} asks a person
 *                     ({@code push_unknown: ask}) instead of being refused
 * @param location     where the entry stands in the manifest
 */
public record GitRepoDef(String name, String upstream, Optional<Path> identityFile, Optional<Path> knownHosts,
                         List<String> push, List<String> protect, Optional<String> tokenEnv,
                         Optional<String> username, boolean askUnknownPush, Location location) {
    /** Copies the lists. */
    public GitRepoDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(identityFile, "identityFile");
        Objects.requireNonNull(knownHosts, "knownHosts");
        push = List.copyOf(push);
        protect = List.copyOf(protect);
        Objects.requireNonNull(tokenEnv, "tokenEnv");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(location, "location");
    }
}
