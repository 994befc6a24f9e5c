package dev.claudebottle.bundle.gateway;

import java.util.Map;

/** One made-up value per built-in DLP pattern, assembled so no real credential is in the source. */
final class SecretSamples {
    static final Map<String, String> BY_PATTERN = Map.of(
            "private-key", "-----BEGIN " + "RSA PRIVATE KEY-----",
            "aws-access-key-id", "AKIA" + "ABCDEFGHIJKLMNOP",
            "github-token", "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
            "github-pat", "github_pat_" + "11ABCDEFG0123456789_abcdefghijKLMNOP",
            "slack-token", "xoxb-" + "123456789012-abcdefABCDEF",
            "anthropic-key", "sk-ant-" + "api03-abcdefghijklmnopqrstuv",
            "openai-key", "sk-proj-" + "abcdefghijklmnopqrstuvwx",
            "jwt", "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop");

    private SecretSamples() {
    }
}
