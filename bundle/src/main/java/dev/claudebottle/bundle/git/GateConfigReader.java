package dev.claudebottle.bundle.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the gate config ({@code repos.json}) that provision-git writes at launch. A repo's HTTPS
 * token is not in the file: the file names the bundle env variable that holds it.
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
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the git gate config " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.path("version").asInt() != 1 || !root.path("repos").isArray()) {
            throw new IllegalArgumentException(file + " is not a version 1 git gate config with a repos array");
        }
        List<GateRepo> repos = new ArrayList<>();
        for (JsonNode r : root.get("repos")) {
            String name = r.path("name").asText("");
            String upstream = r.path("upstream").asText("");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || upstream.isBlank()) {
                throw new IllegalArgumentException(file + ": every repo needs a simple name and an upstream");
            }
            repos.add(new GateRepo(name, upstream, strings(r.path("push")), strings(r.path("protect")),
                    path(r, "identity_file"), path(r, "known_hosts"), login(file, name, r)));
        }
        return List.copyOf(repos);
    }

    private Optional<HttpsLogin> login(Path file, String name, JsonNode repo) {
        String variable = repo.path("token_env").asText("");
        if (variable.isEmpty()) {
            return Optional.empty();
        }
        String token = env.getOrDefault(variable, "");
        if (token.isEmpty()) {
            throw new IllegalArgumentException(file + ": the token of " + name + " is to be in the bundle env variable "
                    + variable + ", which is not set");
        }
        return Optional.of(new HttpsLogin(repo.path("username").asText("x-access-token"), token));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Optional<Path> path(JsonNode repo, String field) {
        return Optional.ofNullable(repo.get(field)).map(JsonNode::asText).filter(s -> !s.isBlank()).map(Path::of);
    }
}
