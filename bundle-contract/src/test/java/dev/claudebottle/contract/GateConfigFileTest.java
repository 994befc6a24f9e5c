package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GateConfigFileTest {
    private static final GateConfigFile CONFIG = new GateConfigFile(List.of(
            new GateConfigFile.Repo("app", "git@upstream.test:acme/app.git", List.of("agent/*"), List.of("main"),
                    Optional.of("/etc/claude-bottle/git/app/id"), Optional.of("/etc/claude-bottle/git/app/known_hosts"),
                    Optional.empty(), Optional.empty()),
            new GateConfigFile.Repo("web", "https://git.upstream.test/acme/web.git", List.of("agent/*"), List.of(),
                    Optional.empty(), Optional.empty(), Optional.of("CLAUDE_BOTTLE_GIT_TOKEN_0"),
                    Optional.of("x-access-token"), true)));

    @Test
    void whatIsWrittenIsWhatIsRead() {
        assertThat(GateConfigFile.fromJson(CONFIG.toJson())).isEqualTo(CONFIG);
        assertThat(GateConfigFile.fromJson(new GateConfigFile(List.of()).toJson()).repos()).isEmpty();
    }

    @Test
    void pushUnknownIsDenyOrAsk() {
        Map<String, Object> repo = new java.util.HashMap<>(Map.of("name", "app", "upstream", "git@upstream.test:a.git",
                "push_unknown", "perhaps"));
        assertThatThrownBy(() -> GateConfigFile.fromJson(Map.of("version", 1, "repos", List.of(repo))))
                .hasMessage("repos[0].push_unknown is not deny or ask");
        repo.remove("push_unknown");
        assertThat(GateConfigFile.fromJson(Map.of("version", 1, "repos", List.of(repo))).repos().get(0).askUnknown())
                .as("absent means deny").isFalse();
    }

    @Test
    void anotherVersionOrNoReposIsRefused() {
        assertThatThrownBy(() -> GateConfigFile.fromJson(Map.of("version", 2, "repos", List.of())))
                .hasMessage("it is not a version 1 git gate config");
        assertThatThrownBy(() -> GateConfigFile.fromJson(Map.of("version", 1)))
                .hasMessage("it has no repos list");
    }

    @Test
    void aRepoWhoseNameWouldLeaveItsFolderIsRefusedByPosition() {
        assertThatThrownBy(() -> GateConfigFile.fromJson(Map.of("version", 1, "repos",
                List.of(Map.of("name", "../x", "upstream", "git@upstream.test:x.git")))))
                .hasMessage("repos[0]: repo name '../x' is not a simple name");
        assertThatThrownBy(() -> GateConfigFile.fromJson(Map.of("version", 1, "repos",
                List.of(Map.of("name", "x", "upstream", "git@upstream.test:x.git", "push", "main")))))
                .hasMessage("repos[0].push is not a list");
    }
}
