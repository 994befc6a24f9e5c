package dev.claudebottle.bundle.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.GateConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git gate reads the config provision-git writes, with tokens from the bundle env. */
class GateConfigReaderTest {
    private static final String TOKEN = "ghp_BUNDLEONLY0123456789abcdefghijklmnop";
    @TempDir
    Path dir;

    private Path write(GateConfigFile config) throws Exception {
        Path file = dir.resolve("repos.json");
        new ObjectMapper().writeValue(file.toFile(), config.toJson());
        return file;
    }

    @Test
    void readsEveryRepoWithItsCredentialsInTheBundle() throws Exception {
        Path file = write(new GateConfigFile(List.of(
                new GateConfigFile.Repo("app", "git@upstream.test:acme/app.git", List.of("agent/*"), List.of("main"),
                        Optional.of("/etc/claude-bottle/git/app/id"), Optional.empty(), Optional.empty(),
                        Optional.empty()),
                new GateConfigFile.Repo("web", "https://git.upstream.test/acme/web.git", List.of("agent/*"),
                        List.of(), Optional.empty(), Optional.empty(), Optional.of("CLAUDE_BOTTLE_GIT_TOKEN_0"),
                        Optional.of("bot")))));
        assertThat(Files.readString(file)).doesNotContain(TOKEN);

        List<GateRepo> repos = new GateConfigReader(Map.of("CLAUDE_BOTTLE_GIT_TOKEN_0", TOKEN)).read(file);

        assertThat(repos).hasSize(2);
        assertThat(repos.get(0).identityFile()).contains(Path.of("/etc/claude-bottle/git/app/id"));
        assertThat(repos.get(0).protect()).containsExactly("main");
        assertThat(repos.get(0).login()).isEmpty();
        assertThat(repos.get(1).login()).hasValueSatisfying(l -> assertThat(l.username()).isEqualTo("bot"));
        assertThat(repos.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aTokenVariableThatIsNotSetFailsNamingTheVariableOnly() throws Exception {
        Path file = write(new GateConfigFile(List.of(new GateConfigFile.Repo("web",
                "https://git.upstream.test/acme/web.git", List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.of("CLAUDE_BOTTLE_GIT_TOKEN_0"), Optional.empty()))));

        assertThatThrownBy(() -> new GateConfigReader(Map.of()).read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CLAUDE_BOTTLE_GIT_TOKEN_0, which is not set");
    }

    @Test
    void aMalformedFileIsNamedWithThePartThatIsWrong() throws Exception {
        Path file = dir.resolve("repos.json");
        Files.writeString(file, "{\"version\":1,\"repos\":[{\"name\":\"a/b\",\"upstream\":\"git@upstream.test:x.git\"}]}");

        assertThatThrownBy(() -> new GateConfigReader(Map.of()).read(file))
                .hasMessage(file + ": repos[0]: repo name 'a/b' is not a simple name");
    }
}
