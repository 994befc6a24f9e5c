package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each preset against the requests its tool sends to install (taken from the tool's protocol:
 * npm's registry API, PyPI's simple API, Maven's repository layout, the Go module proxy and
 * checksum database, cargo's sparse index, apt's archive layout), and against what it must not let
 * through: a write, another host, a path outside.
 */
class EgressPresetsTest {
    /** What each tool really sends for an install, as method and URL. */
    private static final Map<String, List<String>> INSTALLS = Map.of(
            "npm", List.of("GET https://registry.npmjs.org/left-pad",
                    "GET https://registry.npmjs.org/@types%2fnode",
                    "GET https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
                    "HEAD https://registry.npmjs.org/left-pad"),
            "npm-publish", List.of("PUT https://registry.npmjs.org/claude-bottle-pkg",
                    "GET https://registry.npmjs.org/claude-bottle-pkg?write=true",
                    "DELETE https://registry.npmjs.org/claude-bottle-pkg/-rev/1-abc"),
            "pypi", List.of("GET https://pypi.org/simple/requests/",
                    "GET https://pypi.org/pypi/requests/json",
                    "GET https://files.pythonhosted.org/packages/f9/9b/335f9764261e915ed497fcdeb11df5dfd6f7bf257d4a6a2a686d80da4d54/requests-2.32.3-py3-none-any.whl"),
            "maven-central", List.of("GET https://repo.maven.apache.org/maven2/junit/junit/4.13.2/junit-4.13.2.pom",
                    "GET https://repo.maven.apache.org/maven2/junit/junit/maven-metadata.xml",
                    "HEAD https://repo1.maven.org/maven2/junit/junit/4.13.2/junit-4.13.2.jar.sha1"),
            "go-proxy", List.of("GET https://proxy.golang.org/golang.org/x/text/@v/list",
                    "GET https://proxy.golang.org/golang.org/x/text/@v/v0.14.0.mod",
                    "GET https://proxy.golang.org/golang.org/x/text/@v/v0.14.0.zip",
                    "GET https://sum.golang.org/lookup/golang.org/x/text@v0.14.0",
                    "GET https://sum.golang.org/tile/8/0/x089/123"),
            "crates", List.of("GET https://index.crates.io/config.json",
                    "GET https://index.crates.io/se/rd/serde",
                    "GET https://static.crates.io/crates/serde/serde-1.0.200.crate",
                    "GET https://crates.io/api/v1/crates/serde/1.0.200/download"),
            "debian", List.of("GET http://deb.debian.org/debian/dists/bookworm/InRelease",
                    "GET https://deb.debian.org/debian/pool/main/c/curl/curl_7.88.1-10+deb12u8_amd64.deb",
                    "GET http://deb.debian.org/debian-security/dists/bookworm-security/InRelease",
                    "GET http://security.debian.org/debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz"),
            "github", List.of("GET https://api.github.com/repos/acme/app/releases/latest",
                    "GET https://github.com/acme/app/releases/download/v1.0/app.tar.gz",
                    "GET https://objects.githubusercontent.com/github-production-release-asset-2e65be/1/2",
                    "GET https://codeload.github.com/acme/app/tar.gz/refs/heads/main",
                    "GET https://raw.githubusercontent.com/acme/app/main/README.md"));

    /** What each must refuse: a way out, or a place it does not need. */
    private static final Map<String, List<String>> REFUSED = Map.of(
            "npm", List.of("PUT https://registry.npmjs.org/left-pad", "DELETE https://registry.npmjs.org/left-pad/-rev/1",
                    "POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
                    "GET https://registry.npmjs.org.evil.test/left-pad", "GET http://registry.npmjs.org/left-pad"),
            "pypi", List.of("POST https://upload.pypi.org/legacy/", "POST https://pypi.org/simple/requests/",
                    "GET https://pypi.org/account/login/", "GET https://files.pythonhosted.org/elsewhere"),
            "maven-central", List.of("PUT https://repo.maven.apache.org/maven2/acme/app/1.0/app-1.0.jar",
                    "GET https://repo.maven.apache.org/other/"),
            "go-proxy", List.of("POST https://proxy.golang.org/golang.org/x/text/@v/list"),
            "crates", List.of("PUT https://crates.io/api/v1/crates/new", "GET https://crates.io/me"),
            "debian", List.of("GET http://deb.debian.org/other/", "PUT http://deb.debian.org/debian/x"),
            "github", List.of("POST https://api.github.com/repos/acme/app/issues",
                    "PATCH https://api.github.com/repos/acme/app", "POST https://github.com/acme/app.git/git-receive-pack",
                    "GET https://gist.github.com/acme"));

    @Test
    void everyPresetLetsItsToolDoItsJobAndNothingElse() {
        assertThat(INSTALLS.keySet()).as("every preset is checked")
                .containsExactlyInAnyOrderElementsOf(EgressPresets.all().stream().map(EgressPresets.Preset::name)
                        .toList());
        for (var preset : EgressPresets.all()) {
            PolicyRules rules = rules(preset.name());
            INSTALLS.getOrDefault(preset.name(), List.of()).forEach(request ->
                    assertThat(decide(rules, request).allowed()).as(preset.name() + ": " + request).isTrue());
            REFUSED.getOrDefault(preset.name(), List.of()).forEach(request ->
                    assertThat(decide(rules, request).allowed()).as(preset.name() + ": " + request).isFalse());
        }
    }

    @Test
    void aPresetsRulesReachPublicAddressesOnlyAndSayWhereTheyCameFrom() {
        for (var preset : EgressPresets.all()) {
            PolicyRules rules = rules(preset.name());
            for (var rule : preset.rules()) {
                var verdict = rules.connect(rule.host(), 443);
                assertThat(verdict.anyAddress()).as(rule.host()).isFalse();
                assertThat(verdict.rule()).startsWith("preset " + preset.name() + ": ");
                assertThat(verdict.intercept()).as("methods are checked, so TLS is opened").isTrue();
            }
        }
    }

    @Test
    void theAgentIsToldOnlyOfReadOnlyPresetsAndThePersonOfTheNarrowest() {
        assertThat(EgressPresets.thatWouldAllow(Optional.of("GET"), "registry.npmjs.org", 443,
                Optional.of("/left-pad"), Set.of())).containsExactly("npm");
        assertThat(EgressPresets.thatWouldAllowAny(Optional.of("GET"), "registry.npmjs.org", 443,
                Optional.of("/left-pad"), Set.of())).as("a read is not told to publish").containsExactly("npm");
        assertThat(EgressPresets.thatWouldAllow(Optional.of("PUT"), "registry.npmjs.org", 443,
                Optional.of("/left-pad"), Set.of("npm"))).as("the agent is never pointed at a way out").isEmpty();
        assertThat(EgressPresets.thatWouldAllowAny(Optional.of("PUT"), "registry.npmjs.org", 443,
                Optional.of("/left-pad"), Set.of("npm"))).containsExactly("npm-publish");
        assertThat(EgressPresets.thatWouldAllow(Optional.empty(), "api.github.com", 443, Optional.empty(), Set.of()))
                .containsExactly("github");
        assertThat(EgressPresets.thatWouldAllow(Optional.empty(), "api.github.com", 22, Optional.empty(), Set.of()))
                .isEmpty();
        assertThat(EgressPresets.thatWouldAllow(Optional.empty(), "api.github.com", 80, Optional.empty(), Set.of()))
                .as("HTTPS only").isEmpty();
        assertThat(EgressPresets.thatWouldAllow(Optional.empty(), "deb.debian.org", 80, Optional.empty(), Set.of()))
                .as("apt's default").containsExactly("debian");
        assertThat(EgressPresets.thatWouldAllow(Optional.of("GET"), "proxy.golang.org", 443,
                Optional.of("/attacker.test/x/@v/list"), Set.of())).as("its proxy fetches from any server").isEmpty();
        assertThat(EgressPresets.thatWouldAllowAny(Optional.of("GET"), "proxy.golang.org", 443,
                Optional.of("/attacker.test/x/@v/list"), Set.of())).containsExactly("go-proxy");
        assertThat(EgressPresets.all()).filteredOn(p -> p.wayOut().isPresent()).extracting(EgressPresets.Preset::name)
                .containsExactlyInAnyOrder("npm-publish", "go-proxy");
    }

    @Test
    void aPathIsJudgedAsThePresetWouldJudgeItNormalised() {
        assertThat(EgressPresets.thatWouldAllow(Optional.of("GET"), "pypi.org", 443, Optional.of("/simple/../admin"),
                Set.of())).as("it leaves /simple/").isEmpty();
        assertThat(EgressPresets.thatWouldAllow(Optional.of("GET"), "pypi.org", 443, Optional.of("/simple/..%2Fx"),
                Set.of())).as("ambiguous").isEmpty();
        assertThat(EgressPresets.thatWouldAllow(Optional.of("GET"), "pypi.org", 443, Optional.of("/simple/%73ix/"),
                Set.of())).containsExactly("pypi");
    }

    private static PolicyRules rules(String name) {
        return new PolicyRules(EgressPresets.named(name).orElseThrow().rules().stream()
                .map(r -> r.policyRule(name)).toList(), List.of());
    }

    private static PolicyRules.Verdict decide(PolicyRules rules, String request) {
        String[] parts = request.split(" ", 2);
        java.net.URI uri = java.net.URI.create(parts[1]);
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        String path = RequestPath.normalise(uri.getRawPath()).orElse(uri.getRawPath());
        return rules.request(parts[0], uri.getHost(), port, path);
    }
}
