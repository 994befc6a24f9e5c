package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.bundle.signin.RefreshRefused;
import dev.claudebottle.bundle.signin.TokenExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the gateway takes from the token endpoint's answers, and what of them it ever quotes: an error code only. */
class SignInEndpointTest {
    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRefusalNamesItsErrorCodeAndNothingElseOfTheAnswer() {
        assertThatThrownBy(() -> SignInEndpoint.tokens(400, json("{\"error\":\"invalid_grant\",\"error_description\":"
                + "\"token sk-ant-ort01-SECRET is spent\"}")))
                .isInstanceOf(RefreshRefused.class).hasMessageContaining("invalid_grant").hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> SignInEndpoint.tokens(401, json("{\"error\":\"sk-ant-ort01-SECRET\"}")))
                .isInstanceOf(RefreshRefused.class).hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> SignInEndpoint.tokens(503, json("sk-ant-ort01-SECRET")))
                .isInstanceOf(IOException.class).isNotInstanceOf(RefreshRefused.class).hasMessageContaining("503")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void anAnswersLifetimeIsKeptBetweenAMinuteAndAYear() throws Exception {
        String access = "{\"access_token\":\"sk-ant-oat01-NEW\",\"refresh_token\":\"sk-ant-ort01-NEW\"";
        TokenExchange.Tokens none = SignInEndpoint.tokens(200, json(access + "}"));
        assertThat(none.expiresIn()).isEqualTo(Duration.ofHours(1));
        assertThat(SignInEndpoint.tokens(200, json(access + ",\"expires_in\":0}")).expiresIn())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(SignInEndpoint.tokens(200, json(access + ",\"expires_in\":-5}")).expiresIn())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(SignInEndpoint.tokens(200, json(access + ",\"expires_in\":99999999999999999999}")).expiresIn())
                .isEqualTo(Duration.ofDays(365));
        assertThat(SignInEndpoint.tokens(200, json(access + ",\"expires_in\":\"28800\",\"scope\":\"user:inference "
                + "user:profile\"}"))).satisfies(t -> {
                    assertThat(t.expiresIn()).isEqualTo(Duration.ofHours(8));
                    assertThat(t.scopes()).containsExactly("user:inference", "user:profile");
                    assertThat(t.toString()).doesNotContain("NEW");
                });
        assertThatThrownBy(() -> SignInEndpoint.tokens(200, json("{\"refresh_token\":\"sk-ant-ort01-NEW\"}")))
                .isInstanceOf(IOException.class).hasMessageNotContaining("NEW");
    }
}
