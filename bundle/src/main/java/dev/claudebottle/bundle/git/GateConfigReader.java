package dev.claudebottle.bundle.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.GateConfigFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the gate config ({@link GateConfigFile}, {@code repos.json}) that provision-git writes at
 * launch. A repo's HTTPS token is not in the file: the file names the bundle env variable that
 * holds it.
 */
public final class GateConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;

    /** A reader resolving token variables in {@code env}, the bundle's process env. */
    public GateConfigReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The repos of the config file; a malformed file is an {@link IllegalArgumentException} naming it. */
    public List<GateRepo> read(Path file) {
        GateConfigFile config;
        try {
            config = GateConfigFile.fromJson(JSON.readValue(file.toFile(), Object.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the git gate config " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        List<GateRepo> repos = new ArrayList<>();
        for (GateConfigFile.Repo r : config.repos()) {
            repos.add(new GateRepo(r.name(), r.upstream(), r.push(), r.protect(), r.identityFile().map(Path::of),
                    r.knownHosts().map(Path::of), login(file, r), r.askUnknown()));
        }
        return List.copyOf(repos);
    }

    private Optional<HttpsLogin> login(Path file, GateConfigFile.Repo repo) {
        if (repo.tokenEnv().isEmpty()) {
            return Optional.empty();
        }
        String variable = repo.tokenEnv().get();
        String token = env.getOrDefault(variable, "");
        if (token.isEmpty()) {
            throw new IllegalArgumentException(file + ": the token of " + repo.name()
                    + " is to be in the bundle env variable " + variable + ", which is not set");
        }
        return Optional.of(new HttpsLogin(repo.username().orElse(GateConfigFile.DEFAULT_USERNAME), token));
    }
}
