package dev.claudebottle.provision.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.claudebottle.spi.manifest.GitRepoDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The git gate's configuration file: the repos it mirrors and their push policy, by bundle path. */
final class GateConfig {
    /** The user name sent with a token when the manifest names none; GitHub and most forges accept it. */
    static final String DEFAULT_USERNAME = "x-access-token";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GateConfig() {
    }

    /**
     * The config for {@code repos}; {@code tokenVariables} maps a repo's name to the bundle env
     * variable holding its HTTPS token, so the file itself holds no secret.
     */
    static Map<String, Object> render(List<GitRepoDef> repos, String credentialsDir, Map<String, String> tokenVariables) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GitRepoDef repo : repos) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", repo.name());
            r.put("upstream", repo.upstream());
            r.put("push", repo.push());
            r.put("protect", repo.protect());
            repo.identityFile().ifPresent(f -> r.put("identity_file", credentialsDir + "/" + repo.name() + "/id"));
            repo.knownHosts().ifPresent(f -> r.put("known_hosts",
                    credentialsDir + "/" + repo.name() + "/known_hosts"));
            if (tokenVariables.containsKey(repo.name())) {
                r.put("token_env", tokenVariables.get(repo.name()));
                r.put("username", repo.username().orElse(DEFAULT_USERNAME));
            }
            out.add(r);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("version", 1);
        config.put("repos", out);
        return config;
    }

    static void write(Map<String, Object> config, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), config);
    }
}
