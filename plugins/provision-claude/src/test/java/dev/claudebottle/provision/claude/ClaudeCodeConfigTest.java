package dev.claudebottle.provision.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaudeCodeConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode state(String existing, Optional<String> key) throws Exception {
        return JSON.readTree(ClaudeCodeConfig.userState(existing, "/home/node", key));
    }

    @Test
    void aFreshHomeGetsEveryFirstRunAnswer() throws Exception {
        JsonNode s = state("", Optional.of("bottle-placeholder"));

        assertThat(s.path("hasCompletedOnboarding").asBoolean()).isTrue();
        assertThat(s.path("projects").path("/home/node").path("hasTrustDialogAccepted").asBoolean()).isTrue();
        assertThat(s.path("customApiKeyResponses").path("approved").toString()).isEqualTo("[\"bottle-placeholder\"]");
        assertThat(JSON.readTree(ClaudeCodeConfig.userSettings("")).path("skipDangerousModePermissionPrompt")
                .asBoolean()).isTrue();
    }

    @Test
    void aLongKeyIsRememberedByItsLastTwentyCharacters() throws Exception {
        JsonNode s = state("", Optional.of("placeholder-0123456789abcdefghij"));

        assertThat(s.path("customApiKeyResponses").path("approved").get(0).asText()).isEqualTo("0123456789abcdefghij");
    }

    @Test
    void withoutAnApiKeyNoKeyAnswerIsSeeded() throws Exception {
        assertThat(state("", Optional.empty()).has("customApiKeyResponses")).isFalse();
    }

    @Test
    void whatTheUsersFilesSayWins() throws Exception {
        String existing = """
                {"hasCompletedOnboarding": false, "theme": "light",
                 "projects": {"/home/node": {"hasTrustDialogAccepted": false, "allowedTools": ["Bash"]},
                              "/srv": {"hasTrustDialogAccepted": true}},
                 "customApiKeyResponses": {"approved": ["mykey"], "rejected": []},
                 "mcpServers": {"supervise": {"type": "http"}}}
                """;
        JsonNode s = state(existing, Optional.of("bottle-placeholder"));

        assertThat(s.path("hasCompletedOnboarding").asBoolean()).isFalse();
        assertThat(s.path("theme").asText()).isEqualTo("light");
        assertThat(s.path("projects").path("/home/node").path("hasTrustDialogAccepted").asBoolean()).isFalse();
        assertThat(s.path("projects").path("/home/node").path("allowedTools").toString()).isEqualTo("[\"Bash\"]");
        assertThat(s.path("projects").path("/srv").path("hasTrustDialogAccepted").asBoolean()).isTrue();
        assertThat(s.path("customApiKeyResponses").path("approved").toString())
                .isEqualTo("[\"mykey\",\"bottle-placeholder\"]");
        assertThat(s.path("mcpServers").path("supervise").path("type").asText()).isEqualTo("http");
        assertThat(JSON.readTree(ClaudeCodeConfig.userSettings("{\"skipDangerousModePermissionPrompt\": false}"))
                .path("skipDangerousModePermissionPrompt").asBoolean()).isFalse();
    }

    @Test
    void aKeyTheUserRejectedStaysRejected() throws Exception {
        JsonNode s = state("{\"customApiKeyResponses\": {\"rejected\": [\"bottle-placeholder\"]}}",
                Optional.of("bottle-placeholder"));

        assertThat(s.path("customApiKeyResponses").path("approved").isMissingNode()).isTrue();
        assertThat(s.path("customApiKeyResponses").path("rejected").toString()).isEqualTo("[\"bottle-placeholder\"]");
    }

    @Test
    void aFileThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> ClaudeCodeConfig.userState("[1, 2]", "/home/node", Optional.empty()))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> ClaudeCodeConfig.userSettings("{not json"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
