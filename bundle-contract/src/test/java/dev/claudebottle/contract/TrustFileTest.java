package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustFileTest {
    @Test
    void whatIsWrittenIsWhatIsRead() {
        TrustFile full = new TrustFile(List.of(new TrustFile.Pattern("corp", "corp_[0-9]+")),
                Optional.of(BundleLayout.UPSTREAM_CA_FILE));
        assertThat(TrustFile.fromJson(full.toJson())).isEqualTo(full);
        assertThat(TrustFile.fromJson(TrustFile.NONE.toJson())).isEqualTo(TrustFile.NONE);
    }

    @Test
    void anotherVersionOrAMalformedPatternIsRefusedByWhereItIs() {
        Map<String, Object> tree = new HashMap<>(TrustFile.NONE.toJson());
        tree.put("version", 2);
        assertThatThrownBy(() -> TrustFile.fromJson(tree)).hasMessage("it is not a version 1 trust file");
        tree.put("version", 1);
        tree.put("dlp_patterns", List.of(Map.of("name", "corp")));
        assertThatThrownBy(() -> TrustFile.fromJson(tree)).hasMessageStartingWith("dlp_patterns[0].regex");
    }
}
