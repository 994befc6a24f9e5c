package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuestEnvTest {
    private static final Location HERE = new Location("bottle.yaml", 1, 1);
    private final Map<String, Endpoint> endpoints = Map.of("git-gate", new Endpoint("10.9.0.2", 9418),
            "gateway", new Endpoint("127.13.37.42", 40123));

    @Test
    void resolvesEndpointHostAndPortReferences() {
        GuestEnv env = new GuestEnv("X", "git://{endpoint:git-gate}/a,{host:gateway}:{port:gateway}");
        assertThat(env.endpointRefs()).containsExactly("git-gate", "gateway", "gateway");
        assertThat(env.resolve(endpoints::get)).isEqualTo("git://10.9.0.2:9418/a,127.13.37.42:40123");
    }

    @Test
    void plainValuesPassThrough() {
        GuestEnv env = new GuestEnv("NODE_ENV", "development {not a ref} $x");
        assertThat(env.endpointRefs()).isEmpty();
        assertThat(env.resolve(endpoints::get)).isEqualTo("development {not a ref} $x");
    }

    @Test
    void invalidNamesAreRefused() {
        assertThatThrownBy(() -> new GuestEnv("1BAD", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLaunchResolvesItsWholeGuestEnvInContributionOrder() {
        LaunchSpec spec = new LaunchSpec("a-0001", new AgentDef("a", "b", Optional.empty(), Optional.empty(),
                List.of(), AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("b", Map.of(), EgressDef.DENY_ALL, Map.of(), HERE), Path.of("/m"), Path.of("/s"), Optional.empty(), "docker", "/home/node", false, List.of());
        LaunchRequest request = new LaunchRequest(spec, List.of(), List.of(), List.of(), List.of(),
                List.of(new GuestEnv("HTTPS_PROXY", "http://{endpoint:gateway}"),
                        new GuestEnv("GIT_GATE_URL", "git://{host:git-gate}:{port:git-gate}"),
                        new GuestEnv("NODE_ENV", "development")));

        assertThat(request.resolvedGuestEnv(endpoints::get)).containsExactly(
                Map.entry("HTTPS_PROXY", "http://127.13.37.42:40123"),
                Map.entry("GIT_GATE_URL", "git://10.9.0.2:9418"), Map.entry("NODE_ENV", "development"));
    }
}
