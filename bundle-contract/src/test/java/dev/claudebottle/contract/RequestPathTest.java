package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPathTest {
    @Test
    void dotSegmentsAndUnreservedEscapesAreResolved() {
        assertThat(RequestPath.normalise("/allowed/../secret")).contains("/secret");
        assertThat(RequestPath.normalise("/allowed/%2e%2E/secret")).contains("/secret");
        assertThat(RequestPath.normalise("/a/./b/.")).contains("/a/b/");
        assertThat(RequestPath.normalise("/../../etc")).contains("/etc");
        assertThat(RequestPath.normalise("/a/b/..")).contains("/a/");
        assertThat(RequestPath.normalise("/%7Euser/%41")).contains("/~user/A");
    }

    @Test
    void reservedEscapesStayEscapedAndTheQueryIsKept() {
        assertThat(RequestPath.normalise("/q%3Fx?a=/../b")).contains("/q%3Fx?a=/../b");
        assertThat(RequestPath.normalise("/a%20b")).contains("/a%20b");
    }

    @Test
    void pathsWithMoreThanOneReadingAreRefused() {
        assertThat(RequestPath.normalise("/allowed/..%2fsecret")).isEmpty();
        assertThat(RequestPath.normalise("/allowed/%2F")).isEmpty();
        assertThat(RequestPath.normalise("/allowed\\..\\secret")).isEmpty();
        assertThat(RequestPath.normalise("/allowed/%5c")).isEmpty();
        assertThat(RequestPath.normalise("/allowed/%252e%252e/secret")).isEmpty();
        assertThat(RequestPath.normalise("/allowed/%252f")).isEmpty();
        assertThat(RequestPath.normalise("/bad%zz")).isEmpty();
        assertThat(RequestPath.normalise("/trailing%2")).isEmpty();
    }

    @Test
    void prefixesMatchOnSegmentBoundaries() {
        assertThat(RequestPath.under("/v1/messages", "/v1/")).isTrue();
        assertThat(RequestPath.under("/v1/messages", "/v1")).isTrue();
        assertThat(RequestPath.under("/v1", "/v1")).isTrue();
        assertThat(RequestPath.under("/v10/x", "/v1")).isFalse();
        assertThat(RequestPath.under("/v10/x", "/v1/")).isFalse();
    }
}
