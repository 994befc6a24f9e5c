package dev.claudebottle.bundle.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.manifest.DlpPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
    private final SecretScanner scanner = new SecretScanner(List.of(new DlpPattern("corp-token", "corp_[0-9]{8}")));

    @Test
    void everyBuiltInPatternFindsItsSample() {
        assertThat(SecretScanner.BUILT_IN).extracting(DlpPattern::name)
                .containsExactlyInAnyOrderElementsOf(SecretSamples.BY_PATTERN.keySet());
        SecretSamples.BY_PATTERN.forEach((name, sample) ->
                assertThat(scanner.scan("prefix " + sample + " suffix")).as(name).contains(name));
    }

    @Test
    void manifestPatternsAreAdded() {
        assertThat(scanner.scan("id=corp_12345678")).contains("corp-token");
    }

    @Test
    void ordinaryTextPasses() {
        assertThat(scanner.scan("GET /repos/acme/app HTTP/1.1 user-agent: claude-cli/2.0 bottle-placeholder"))
                .isEmpty();
        assertThat(scanner.scan("the word skeleton and sk-short")).isEmpty();
        assertThat(scanner.scan("")).isEmpty();
    }

    private static final String KEY = "AKIA" + "IOSFODNN7EXAMPLE";

    @Test
    void aSecretIsFoundThroughEveryLayerOfEncoding() {
        String base64 = java.util.Base64.getEncoder().encodeToString(KEY.getBytes());
        String hex = java.util.HexFormat.of().formatHex(KEY.getBytes());
        StringBuilder percent = new StringBuilder();
        for (char c : KEY.toCharArray()) {
            percent.append('%').append(Integer.toHexString(c));
        }
        String doublePercent = percent.toString().replace("%", "%25");
        String percentOfBase64 = base64.chars().mapToObj(c -> "%" + Integer.toHexString(c))
                .collect(java.util.stream.Collectors.joining());

        for (String hidden : List.of(base64, base64.replace('+', '-').replace('/', '_').replace("=", ""), hex,
                hex.toUpperCase(), java.util.HexFormat.ofDelimiter("-").formatHex(KEY.getBytes()),
                java.util.HexFormat.ofDelimiter(":").formatHex(KEY.getBytes()), percent.toString(), doublePercent,
                doublePercent.replace("%", "%25"), percentOfBase64, "data=" + base64 + "&x=1",
                Encodings.base64(percent.toString()), Encodings.base64(doublePercent))) {
            assertThat(scanner.scan("/exfil?key=" + hidden)).as(hidden).contains("aws-access-key-id");
        }
    }

    @Test
    void cardNumbersMustPassTheLuhnCheck() {
        assertThat(scanner.scan("card 4111111111111111 exp 12/28")).contains("card-number");
        assertThat(scanner.scan("card 5500-0000-0000-0004")).contains("card-number");
        assertThat(scanner.scan("order 4111111111111112 shipped")).isEmpty();
        assertThat(scanner.scan("ts=1700000000000&n=12")).isEmpty();
    }

    @Test
    void accountAndWalletNumbersMustCarryTheirChecksums() {
        assertThat(scanner.scan("iban=GB82WEST12345698765432")).contains("iban");
        assertThat(scanner.scan("iban=GB82WEST12345698765433")).isEmpty();
        assertThat(scanner.scan("addr=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")).contains("bitcoin-address");
        assertThat(scanner.scan("wallet=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")).isEmpty();
        assertThat(scanner.scan("id=3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")).contains("bitcoin-address");
        assertThat(scanner.scan("build=KJ98t1WpEZ73CNmQviecrnyiWrnqRhWNLyKJ98t1WpEZ73CNmQvi")).isEmpty();
    }

    @Test
    void everydayTrafficPasses() {
        for (String benign : List.of(
                "/resources/550e8400-e29b-41d4-a716-446655440000/details",
                "/upload?format=png&data=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
                "/security?content=%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89",
                "Authorization: Bearer mF_9.B5f-4.1JqM",
                "Cookie: session_id=abc123def456; theme=dark; _ga=GA1.2.1234567890.1234567890",
                "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0",
                "{\"model\":\"claude-opus\",\"max_tokens\":32000,\"stream\":true,\"messages\":[]}",
                "/repos/golang/go/issues?state=open&page=2&per_page=30&sort=updated",
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")) {
            assertThat(scanner.scan(benign)).as(benign).isEmpty();
        }
    }

    @Test
    void aTextTooLongToScanIsReportedAsSuch() {
        assertThat(scanner.scan("a".repeat(SecretScanner.MAX_SCAN_CHARS + 1))).contains(SecretScanner.TOO_LONG);
    }
}
