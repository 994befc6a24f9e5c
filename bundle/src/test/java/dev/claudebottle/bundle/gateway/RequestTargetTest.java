package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** An absolute-form target goes upstream in origin form: its path and query, never less than {@code /}. */
class RequestTargetTest {
    @Test
    void anAbsoluteTargetKeepsItsPathAndQueryOnly() {
        Map<String, String> cases = Map.of(
                "http://api.test:8080/v1/x?q=1", "/v1/x?q=1",
                "https://api.test", "/",
                "http://api.test?q=1", "/?q=1",
                "http://api.test/a?b=/c", "/a?b=/c",
                "/already/origin", "/already/origin",
                "", "/");
        cases.forEach((absolute, origin) -> assertThat(RequestTarget.originForm(absolute)).as(absolute)
                .isEqualTo(origin));
    }
}
