package dev.claudebottle.bundle.gateway;

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
}
