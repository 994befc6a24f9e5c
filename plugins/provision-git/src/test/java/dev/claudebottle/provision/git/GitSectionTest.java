package dev.claudebottle.provision.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.manifest.ManifestException;
import dev.claudebottle.manifest.ManifestReader;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git section, read by the kernel's manifest reader as bottle reads it. */
class GitSectionTest {
    @TempDir
    Path dir;

    private Manifest read(String yaml) {
        return new ManifestReader(dir.resolve("host-cas"), List.of(new GitSection())).read("bottle.yaml", dir, yaml);
    }

    private List<GitRepoDef> repos(Manifest m, String bottle) {
        return m.bottles().get(bottle).section(GitSection.KEY, GitSection.Repos.class).orElseThrow().repos();
    }

    @Test
    void readsAnEntryWithItsKeyFileAndBranchRules() throws Exception {
        Files.writeString(dir.resolve("id_ed25519"), "key");
        Manifest m = read("""
                version: 1
                bottles:
                  web:
                    git:
                      - name: app
                        upstream: git@github.com:acme/app.git
                        identity_file: id_ed25519
                        push: ["agent/*"]
                        protect: [main]
                agents:
                  coder: {bottle: web}
                """);
        assertThat(repos(m, "web")).singleElement().satisfies(g -> {
            assertThat(g.identityFile()).contains(dir.resolve("id_ed25519"));
            assertThat(g.push()).containsExactly("agent/*");
            assertThat(g.protect()).containsExactly("main");
            assertThat(g.location().line()).isEqualTo(5);
        });
    }

    @Test
    void aGitTokenIsAHostVariableForAnHttpsUpstreamOnly() {
        Manifest m = read("""
                version: 1
                bottles:
                  b:
                    git:
                      - {name: web, upstream: "https://git.upstream.test/acme/web.git", token_env: GIT_TOKEN}
                      - {name: lab, upstream: "https://lab.upstream.test/acme/lab.git", token_env: LAB_TOKEN, username: oauth2}
                agents:
                  a: {bottle: b}
                """);
        assertThat(repos(m, "b")).extracting(g -> g.tokenEnv().orElseThrow() + "/" + g.username().orElse("-"))
                .containsExactly("GIT_TOKEN/-", "LAB_TOKEN/oauth2");

        assertThatThrownBy(() -> read("""
                version: 1
                bottles:
                  b:
                    git:
                      - {name: app, upstream: "git@git.upstream.test:acme/app.git", token_env: GIT_TOKEN}
                      - {name: lib, upstream: "https://git.upstream.test/acme/lib.git", username: me}
                      - {name: cfg, upstream: "https://git.upstream.test/acme/cfg.git", token_env: "ghp_abc-1"}
                agents:
                  a: {bottle: b}
                """))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.getMessage())
                        .contains("bottle.yaml:5:").contains("expected an https:// upstream to send a token to")
                        .contains("bottle.yaml:6:").contains("username: expected together with token_env")
                        .contains("bottle.yaml:7:").contains("expected the name of a host variable")
                        .doesNotContain("ghp_abc-1"));
    }

    @Test
    void aPushOutsideTheGlobsIsRefusedUnlessTheRepoAsks() {
        Manifest m = read("""
                version: 1
                bottles:
                  b:
                    git:
                      - {name: web, upstream: "git@git.upstream.test:acme/web.git", push: ["agent/*"], push_unknown: ask}
                      - {name: lab, upstream: "git@git.upstream.test:acme/lab.git"}
                agents:
                  a: {bottle: b}
                """);
        assertThat(repos(m, "b")).extracting(GitRepoDef::askUnknownPush).containsExactly(true, false);
        assertThat(GateConfig.render(repos(m, "b"), "/etc/claude-bottle/git", java.util.Map.of()).repos())
                .extracting(dev.claudebottle.contract.GateConfigFile.Repo::askUnknown).containsExactly(true, false);

        assertThatThrownBy(() -> read("""
                version: 1
                bottles:
                  b:
                    git:
                      - {name: web, upstream: "git@git.upstream.test:acme/web.git", push_unknown: maybe}
                agents:
                  a: {bottle: b}
                """)).hasMessageContaining("bottle.yaml:5:").hasMessageContaining("expected deny or ask, found 'maybe'");
    }

    @Test
    void duplicateNamesBadBranchGlobsAndUnknownKeysAreProblemsAtTheirPlace() {
        assertThatThrownBy(() -> read("""
                version: 1
                bottles:
                  b:
                    git:
                      - {name: app, upstream: "git@git.upstream.test:acme/app.git", push: ["../main"]}
                      - {name: app, upstream: "git@git.upstream.test:acme/app2.git", mirror: yes}
                agents:
                  a: {bottle: b}
                """))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.getMessage())
                        .contains("bottle.yaml:5:").contains("push entry: expected a branch name or glob like agent/*")
                        .contains("bottle.yaml:6:").contains("unknown key 'mirror' in bottles.b.git entry")
                        .contains("duplicate name 'app'"));
    }
}
