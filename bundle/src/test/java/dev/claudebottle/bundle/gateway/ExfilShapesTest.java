package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExfilShapesTest {
    @Test
    void encodedHostLabelsAreFound() {
        for (String host : List.of("JBSWY3DPEHPK3PXP.exfil.evil.test", "c2VjcmV0X3Rva2VuXzEyMzQ1Njc4OTA.exfil.evil.test",
                "7365637265745f6170695f6b65795f3132333435.exfil.evil.test",
                "4a6f686e446f65.53656372657431.exfil.evil.test",
                "a1b2c3d4.e5f6a7b8.c9d0e1f2.a3b4c5d6.exfil.evil.test",
                "ghp-xxxx.yyyyzzzz.aaaabbbb.ccccdddd.exfil.evil.test",
                "x".repeat(60) + "." + "y".repeat(60) + ".evil.test", "c2vjcmv0x3rva2vuxzeymzq1njc4ota.exfil.evil.test")) {
            assertThat(ExfilShapes.inHost(host)).as(host).isPresent();
        }
    }

    @Test
    void theNamesOfEverydayServicesPass() {
        for (String host : List.of("api.anthropic.com", "registry.npmjs.org", "cdnjs.cloudflare.com",
                "d111111abcdef8.cloudfront.net", "bucket.s3.us-west-2.amazonaws.com",
                "objects.githubusercontent.com", "pkg-containers.githubusercontent.com", "deb.debian.org",
                "10.0.0.1", "fonts.gstatic.com", "kubernetes-dashboard.example.test", "www.google.com")) {
            assertThat(ExfilShapes.inHost(host)).as(host).isEmpty();
        }
    }

    @Test
    void highEntropyPathSegmentsAreFoundAndEverydayPathsPass() {
        assertThat(ExfilShapes.inPath("/api/x7Kp2mQ9vR4sL8nW1bY6cT3fA0jH5dE/status")).isPresent();
        assertThat(ExfilShapes.inPath("/exfil?key=%25252541%25252549")).isPresent();
        assertThat(ExfilShapes.inPath("/search?q=%2541")).isEmpty();
        for (String path : List.of("/v1/messages?beta=true", "/resources/550e8400-e29b-41d4-a716-446655440000/details",
                "/repos/acme/app/commits/4b825dc642cb6eb9a060e54bf8d69288fbee4904",
                "/left-pad/-/left-pad-1.3.0.tgz", "/ajax/libs/lodash.js/4.17.21/lodash.min.js",
                "/v2/library/debian/blobs/sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "/watch?v=dQw4w9WgXcQ", "/api/claude_code/settings")) {
            assertThat(ExfilShapes.inPath(path)).as(path).isEmpty();
        }
    }
}
