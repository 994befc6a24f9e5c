package dev.claudebottle.provision.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitProvisionerTest {
    private static final String TOKEN = "ghp_HOSTTOKEN0123456789abcdefghijklmnopq";
    private static final Location HERE = new Location("bottle.yaml", 4, 9);
    @TempDir
    Path state;
    final List<String> warnings = new ArrayList<>();
    final EventSink events = new EventSink() {
        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void emit(Event event) {
        }
    };

    private LaunchSpec spec(Optional<Path> cwd, GitRepoDef... repos) {
        return new LaunchSpec("a-1234", new AgentDef("a", "b", Optional.empty(), Optional.empty(), List.of(),
                AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("b", Map.of(), EgressDef.DENY_ALL,
                Map.of(GitSection.KEY, new GitSection.Repos(List.of(repos))), HERE), state, state, cwd, "docker",
                "/home/node", false, List.of());
    }

    private static GitRepoDef https(String tokenEnv) {
        return new GitRepoDef("web", "https://git.upstream.test/acme/web.git", Optional.empty(), Optional.empty(),
                List.of("agent/*"), List.of(), Optional.of(tokenEnv), Optional.empty(), false, HERE);
    }

    @Test
    void anHttpsTokenGoesToTheBundleEnvAsASecretAndTheConfigNamesOnlyItsVariable() throws Exception {
        Contribution c = new GitProvisioner(events, HostEnvironment.of(Map.of("GIT_TOKEN", TOKEN))).contribute(
                spec(Optional.empty(), https("GIT_TOKEN")));

        BundleEnv token = c.bundleEnv().stream().filter(e -> e.name().startsWith(GitProvisioner.TOKEN_PREFIX))
                .findFirst().orElseThrow();
        assertThat(token.secret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(TOKEN));
        assertThat(token.display()).isEqualTo("***");
        Step config = c.steps().stream().filter(s -> s.id().equals("git.config")).findFirst().orElseThrow();
        config.action().run(null);
        String written = Files.readString(state.resolve("git/repos.json"));
        assertThat(written).contains("\"token_env\" : \"" + token.name() + "\"")
                .contains("\"username\" : \"x-access-token\"").doesNotContain(TOKEN);
        assertThat(c.toString()).doesNotContain(TOKEN);
    }

    @Test
    void anUnsetTokenVariableIsBadInputNamingTheEntry() {
        assertThatThrownBy(() -> new GitProvisioner(events, HostEnvironment.of(Map.of())).contribute(
                spec(Optional.empty(), https("GIT_TOKEN"))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("git entry web at bottle.yaml:4:9 needs the host variable GIT_TOKEN");
    }

    @Test
    void cwdOutsideARepositoryIsAWarning(@TempDir Path plain) {
        Contribution c = new GitProvisioner(events, HostEnvironment.of(Map.of())).contribute(spec(Optional.of(plain)));

        assertThat(c.steps()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("is not inside a git repository");
    }
}
