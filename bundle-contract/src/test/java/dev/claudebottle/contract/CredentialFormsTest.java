package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A credential is looked for as the whole header value and, behind an auth scheme, as the credential alone. */
class CredentialFormsTest {
    private static final String TOKEN = "sk-ant-oat01-a-token-of-some-length";

    @Test
    void aBearerValueIsLookedForWholeAndAsItsBareToken() {
        assertThat(CredentialForms.of("Bearer " + TOKEN)).containsExactly("Bearer " + TOKEN, TOKEN);
    }

    @Test
    void theSchemeIsReadInAnyCaseAndBasicAndTokenAreSchemesToo() {
        assertThat(CredentialForms.of("bearer " + TOKEN)).containsExactly("bearer " + TOKEN, TOKEN);
        assertThat(CredentialForms.of("BEARER " + TOKEN)).containsExactly("BEARER " + TOKEN, TOKEN);
        assertThat(CredentialForms.of("Basic dXNlcjpodW50ZXIy")).containsExactly("Basic dXNlcjpodW50ZXIy",
                "dXNlcjpodW50ZXIy");
        assertThat(CredentialForms.of("Token " + TOKEN)).containsExactly("Token " + TOKEN, TOKEN);
    }

    @Test
    void aShortCredentialBehindASchemeIsNotLookedForAlone() {
        assertThat(CredentialForms.of("Bearer short")).containsExactly("Bearer short");
        assertThat(CredentialForms.of("Bearer 1234567")).containsExactly("Bearer 1234567");
        assertThat(CredentialForms.of("Bearer 12345678")).containsExactly("Bearer 12345678", "12345678");
    }

    @Test
    void aValueWithoutASchemeIsLookedForAsItIs() {
        String apiKey = "sk-ant-api03-an-api-key-value";
        assertThat(CredentialForms.of(apiKey)).containsExactly(apiKey);
        assertThat(CredentialForms.of("Bearer" + TOKEN)).containsExactly("Bearer" + TOKEN);
        assertThat(CredentialForms.of("Bearer  " + TOKEN)).as("two spaces").containsExactly("Bearer  " + TOKEN);
        assertThat(CredentialForms.of("Digest " + TOKEN)).as("not a scheme that wraps a credential")
                .containsExactly("Digest " + TOKEN);
        assertThat(CredentialForms.of("Bearer ")).containsExactly("Bearer ");
    }
}
