package dev.claudebottle.provision.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.manifest.Location;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitConfigTextTest {
    private static GitRepoDef repo(String name, String upstream) {
        return new GitRepoDef(name, upstream, Optional.empty(), Optional.empty(), List.of("agent/*"), List.of("main"),
                Optional.empty(), Optional.empty(), false, new Location("bottle.yaml", 1, 1));
    }

    @Test
    void rewritesEveryUpstreamToTheGateEndpoint() {
        String text = GitConfigText.render(new Endpoint("10.88.0.2", 9418), List.of(
                repo("app", "git@upstream.test:acme/app.git"), repo("lib", "ssh://upstream.test/acme/lib.git")));
        assertThat(text).contains("[url \"git://10.88.0.2:9418/app.git\"]\n\tinsteadOf = \"git@upstream.test:acme/app.git\"")
                .contains("[url \"git://10.88.0.2:9418/lib.git\"]\n\tinsteadOf = \"ssh://upstream.test/acme/lib.git\"")
                .contains("[user]");
    }

    @Test
    void gateConfigNamesBundlePathsNotHostPaths() {
        var config = GateConfig.render(List.of(new GitRepoDef("app", "git@upstream.test:acme/app.git",
                Optional.of(java.nio.file.Path.of("/home/me/.ssh/id_ed25519")), Optional.empty(), List.of("agent/*"),
                List.of("main"), Optional.empty(), Optional.empty(), false, new Location("bottle.yaml", 1, 1))),
                "/etc/claude-bottle/git", java.util.Map.of());
        assertThat(config.repos()).singleElement().satisfies(r -> {
            assertThat(r.identityFile()).contains("/etc/claude-bottle/git/app/id");
            assertThat(r.knownHosts()).isEmpty();
        });
        assertThat(config.toJson().toString()).doesNotContain("/home/me");
    }
}
