package dev.claudebottle.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.RouteDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteResolverTest {
    private static final String KEY = "sk-ant-api03-secretvalue";
    private final List<String> messages = new ArrayList<>();

    private static RouteDef route(String value, boolean optional) {
        return new RouteDef(new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of("/v1/"), "x-api-key", value,
                Optional.empty(), optional, false, false, new Location("bottle.yaml", 12, 11));
    }

    private final List<String> warnings = new ArrayList<>();

    private RouteResolver resolver(Map<String, String> env) {
        return new RouteResolver(HostEnvironment.of(env), e -> {
            messages.add(e.message());
            if (e instanceof Event.Warning) {
                warnings.add(e.message());
            }
        });
    }

    @Test
    void resolvesValuesIntoSecretsCarriedByNumberedBundleEnv() {
        var resolved = resolver(Map.of("ANTHROPIC_API_KEY", KEY)).resolve(List.of(route("${ANTHROPIC_API_KEY}", false)));
        assertThat(resolved).singleElement().satisfies(r -> {
            assertThat(r.value().reveal()).isEqualTo(KEY);
            assertThat(r.bundleEnv()).isEqualTo("CLAUDE_BOTTLE_ROUTE_0");
            assertThat(r.toString()).doesNotContain(KEY);
        });
    }

    @Test
    void withheldValuesDecideTheRoutesAsALaunchWouldAndHandOnNoValue() {
        var routes = List.of(route("${A}", true), route("${B}", true));
        var launched = resolver(Map.of("B", KEY)).resolve(routes);
        var withheld = resolver(Map.of("B", KEY)).withheld().resolve(routes);

        assertThat(withheld).extracting(r -> r.route(), r -> r.bundleEnv())
                .containsExactlyElementsOf(launched.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.route(),
                        r.bundleEnv())).toList());
        assertThat(withheld).singleElement().satisfies(r -> assertThat(r.value().isEmpty()).isTrue());
        assertThatThrownBy(() -> resolver(Map.of()).withheld().resolve(List.of(route("${A}", false))))
                .as("a value the launch would need is needed to keep the bottle warm too")
                .isInstanceOf(BadInputException.class).hasMessageContaining("A");
    }

    @Test
    void missingVariableNamesTheRouteAndTheVariable() {
        assertThatThrownBy(() -> resolver(Map.of()).resolve(List.of(route("${ANTHROPIC_API_KEY}", false))))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("route api.anthropic.com (x-api-key) at bottle.yaml:12:11")
                .hasMessageContaining("ANTHROPIC_API_KEY");
    }

    @Test
    void optionalRouteIsDroppedWhenItsVariableIsUnset() {
        var resolved = resolver(Map.of("B", "b")).resolve(List.of(route("${A}", true), route("${B}", true)));
        assertThat(resolved).singleElement().satisfies(r -> assertThat(r.bundleEnv()).isEqualTo("CLAUDE_BOTTLE_ROUTE_0"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("skipped").contains("A is not set"));
        assertThat(warnings).as("the host keeps the route whose variable is set").isEmpty();
    }

    @Test
    void aHostWhoseEveryRouteIsSkippedIsNamedInOneWarning() {
        var resolved = resolver(Map.of()).resolve(List.of(route("${ANTHROPIC_API_KEY}", true),
                route("Bearer ${CLAUDE_CODE_OAUTH_TOKEN}", true)));
        assertThat(resolved).isEmpty();
        assertThat(warnings).containsExactly("no credential for api.anthropic.com: its routes are skipped because "
                + "ANTHROPIC_API_KEY and CLAUDE_CODE_OAUTH_TOKEN are not set");
    }

    @Test
    void aRouteThatOptsIntoPlainHttpIsWarnedOfWithoutItsValue() {
        RouteDef plain = new RouteDef(new HostPattern("api.corp.test"), List.of(80), List.of(), List.of(), "x-api-key",
                "${ANTHROPIC_API_KEY}", Optional.empty(), false, false, true, new Location("bottle.yaml", 3, 11));
        resolver(Map.of("ANTHROPIC_API_KEY", KEY)).resolve(List.of(plain, route("${ANTHROPIC_API_KEY}", false)));

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("api.corp.test").contains("plain HTTP").doesNotContain(KEY);
    }
}
