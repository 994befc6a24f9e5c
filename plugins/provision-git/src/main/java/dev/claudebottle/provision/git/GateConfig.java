package dev.claudebottle.provision.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.claudebottle.contract.GateConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Makes and writes the git gate's config file ({@link GateConfigFile}) for a bottle's repos. */
final class GateConfig {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GateConfig() {
    }

    /**
     * The config for {@code repos}, with credentials at their paths under {@code credentialsDir} in
     * the bundle; {@code tokenVariables} maps a repo's name to the bundle env variable holding its
     * HTTPS token, so the file itself holds no secret.
     */
    static GateConfigFile render(List<GitRepoDef> repos, String credentialsDir, Map<String, String> tokenVariables) {
        return new GateConfigFile(repos.stream().map(repo -> {
            Optional<String> token = Optional.ofNullable(tokenVariables.get(repo.name()));
            return new GateConfigFile.Repo(repo.name(), repo.upstream(), repo.push(), repo.protect(),
                    repo.identityFile().map(f -> credentialsDir + "/" + repo.name() + "/id"),
                    repo.knownHosts().map(f -> credentialsDir + "/" + repo.name() + "/known_hosts"), token,
                    token.map(t -> repo.username().orElse(GateConfigFile.DEFAULT_USERNAME)), repo.askUnknownPush());
        }).toList());
    }

    static void write(GateConfigFile config, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), config.toJson());
    }
}
