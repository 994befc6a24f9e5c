package dev.claudebottle.bundle.trust;

import java.util.Map;

/** One made-up value per built-in DLP pattern, assembled so no real credential is in the source. */
public final class SecretSamples {
    public static final Map<String, String> BY_PATTERN = Map.ofEntries(
            Map.entry("private-key", "-----BEGIN " + "RSA PRIVATE KEY-----"),
            Map.entry("aws-access-key-id", "AKIA" + "ABCDEFGHIJKLMNOP"),
            Map.entry("aws-secret-access-key", "aws_secret_access_key" + "=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Map.entry("github-token", "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
            Map.entry("github-pat", "github_pat_" + "11ABCDEFG0123456789_abcdefghijKLMNOP"),
            Map.entry("gitlab-token", "glpat-" + "abcdefghij0123456789"),
            Map.entry("slack-token", "xoxb-" + "123456789012-abcdefABCDEF"),
            Map.entry("slack-webhook", "https://hooks.slack.com/services/" + "T0123ABCD/B0123ABCD/abcdefghij0123456789"),
            Map.entry("anthropic-key", "sk-ant-" + "api03-abcdefghijklmnopqrstuv"),
            Map.entry("stripe-key", "sk_live_" + "abcdefghij0123456789ABCD"),
            Map.entry("openai-key", "sk-proj-" + "abcdefghijklmnopqrstuvwx"),
            Map.entry("sendgrid-key", "SG." + "abcdefghij0123456789AB.abcdefghij0123456789abcdefghij0123456789ABC"),
            Map.entry("google-api-key", "AIza" + "SyA-abcdefghij0123456789abcdefghij0"),
            Map.entry("azure-storage-key", "DefaultEndpointsProtocol=https;AccountKey="
                    + "abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789ABCDEFGH==;"),
            Map.entry("npm-token", "npm_" + "abcdefghij0123456789abcdefghij012345"),
            Map.entry("pypi-token", "pypi-AgEIcHlwaS5vcmc" + "CJDQ2ZjM1YzY4LWI4ZjgtNDE1Yy1hNzA0LTA5NmE1NjI3Y2Y4NgACKlsz"),
            Map.entry("huggingface-token", "hf_" + "abcdefghij0123456789abcdefghij0123"),
            Map.entry("jwt", "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop"),
            Map.entry("password-assignment", "password" + "=S3cretPassw0rd"),
            Map.entry("card-number", "4111 1111 " + "1111 1111"),
            Map.entry("iban", "GB82WEST" + "12345698765432"),
            Map.entry("bitcoin-address", "1A1zP1eP5QGefi2D" + "MPTfTL5SLmv7DivfNa"),
            Map.entry("crypto-private-key", "5HueCGU8rMjxEXxiPuD5BDku" + "4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"));

    private SecretSamples() {
    }
}
