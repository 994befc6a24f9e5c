package dev.claudebottle.bundle.git;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One repository the gate mirrors, as the gate config names it.
 *
 * @param name         the mirror's name; the guest reaches it as {@code git://gate/<name>.git}
 * @param upstream     the real upstream URL
 * @param push         branch globs the agent may push; empty means read-only
 * @param protect      branches nothing may be pushed to, whatever {@code push} says
 * @param identityFile the SSH key, a bundle path, if any
 * @param knownHosts   the known_hosts file, a bundle path, if any
 * @param login        the user name and token for an HTTPS upstream, if any
 * @param askUnknown   whether a push to a branch outside {@code push} asks a person instead of being refused
 */
public record GateRepo(String name, String upstream, List<String> push, List<String> protect,
                       Optional<Path> identityFile, Optional<Path> knownHosts, Optional<HttpsLogin> login,
                       boolean askUnknown) {
    /** Copies the lists. */
    public GateRepo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstream, "upstream");
        push = List.copyOf(push);
        protect = List.copyOf(protect);
        Objects.requireNonNull(identityFile, "identityFile");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(login, "login");
    }

    /** A repo without an HTTPS login. */
    public GateRepo(String name, String upstream, List<String> push, List<String> protect,
                    Optional<Path> identityFile, Optional<Path> knownHosts) {
        this(name, upstream, push, protect, identityFile, knownHosts, Optional.empty(), false);
    }

    /** A repo that refuses a push outside {@code push}. */
    public GateRepo(String name, String upstream, List<String> push, List<String> protect,
                    Optional<Path> identityFile, Optional<Path> knownHosts, Optional<HttpsLogin> login) {
        this(name, upstream, push, protect, identityFile, knownHosts, login, false);
    }
}
