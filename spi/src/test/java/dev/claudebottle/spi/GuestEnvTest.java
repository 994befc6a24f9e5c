package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestEnvTest {
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
}
