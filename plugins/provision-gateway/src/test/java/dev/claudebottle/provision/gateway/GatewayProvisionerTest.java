package dev.claudebottle.provision.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.testing.ProbeContext;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.AlertAction;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.DlpDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.Placeholder;
import dev.claudebottle.spi.manifest.RouteDef;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's contribution: values to the bundle only, placeholders and proxy settings to the guest. */
class GatewayProvisionerTest {
    private static final Location HERE = new Location("bottle.yaml", 3, 5);
    private static final String KEY = "sk-ant-api03-real-value-never-in-the-guest";
    @TempDir
    Path state;

    private static RouteDef route(String host, String header, Optional<Placeholder> placeholder) {
        return new RouteDef(new HostPattern(host), List.of(), List.of(), List.of(), header, "${KEY}", placeholder,
                true, false, false, HERE);
    }

    private LaunchSpec spec(List<CredentialRoute> routes) {
        return spec(routes, Map.of());
    }

    private LaunchSpec spec(List<CredentialRoute> routes, Map<String, Object> sections) {
        return spec(routes, sections, Map.of(), AgentDef.DEFAULT_COMMAND);
    }

    private LaunchSpec spec(List<CredentialRoute> routes, Map<String, Object> sections, Map<String, String> env,
                            List<String> command) {
        EgressDef egress = new EgressDef(List.of(new AllowRule(new HostPattern("registry.test"), List.of(),
                List.of(), List.of(), false, HERE)), routes.stream().map(CredentialRoute::route).toList(),
                DlpDef.DEFAULT, Optional.empty(), List.of(), AlertAction.LOG, UnknownAction.DENY,
                EgressDef.DEFAULT_ASK_TIMEOUT);
        return new LaunchSpec("a-1234", new AgentDef("a", "b", Optional.empty(), Optional.empty(), List.of(),
                command, HERE), new BottleDef("b", env, egress, sections, HERE), state, state,
                Optional.empty(), "docker", "/home/node", false, routes);
    }

    @Test
    void routeValuesGoToTheBundleAsSecretsAndTheGuestSeesEachPlaceholderOnce() throws Exception {
        Placeholder placeholder = new Placeholder("ANTHROPIC_API_KEY", "bottle-placeholder");
        Contribution c = new GatewayProvisioner().contribute(spec(List.of(
                new CredentialRoute(route("api.anthropic.com", "x-api-key", Optional.of(placeholder)),
                        Secret.of(KEY), "CLAUDE_BOTTLE_ROUTE_0"),
                new CredentialRoute(route("api.anthropic.com", "authorization", Optional.of(placeholder)),
                        Secret.of("Bearer " + KEY), "CLAUDE_BOTTLE_ROUTE_1"))));

        assertThat(c.daemons()).singleElement().satisfies(d -> assertThat(d.port()).isEqualTo(BundleLayout.GATEWAY_PORT));
        assertThat(c.bundleEnv()).filteredOn(e -> e.name().startsWith("CLAUDE_BOTTLE_ROUTE_"))
                .extracting(BundleEnv::display).containsExactly("***", "***");
        assertThat(c.guestEnv()).extracting(GuestEnv::name).containsOnlyOnce("ANTHROPIC_API_KEY")
                .contains("HTTPS_PROXY", "https_proxy", "NO_PROXY");
        assertThat(c.guestEnv()).extracting(GuestEnv::template).noneMatch(v -> v.contains(KEY));
        assertThat(String.valueOf(c)).doesNotContain(KEY);

        c.steps().get(0).action().run(null);
        String policy = Files.readString(state.resolve("gateway/policy.json"));
        assertThat(policy).contains("registry.test", "CLAUDE_BOTTLE_ROUTE_1").doesNotContain(KEY);
    }

    @Test
    void aDollarBudgetWarnsAtLaunchOfEachModelTheBottleNamesThatThePriceTableDoesNotKnow() throws Exception {
        BudgetFile.Budget usd = new BudgetFile.Budget(Optional.empty(), Optional.of(new java.math.BigDecimal("5")),
                Optional.empty(), List.of(BudgetFile.Price.of("claude-house-1", "2", "8")));
        Map<String, String> env = Map.of("ANTHROPIC_MODEL", "claude-mystery-9", "ANTHROPIC_SMALL_FAST_MODEL",
                "claude-haiku-4-5-20251001", "ANTHROPIC_DEFAULT_OPUS_MODEL", "claude-house-1-preview");
        List<String> command = List.of("claude", "--model", "opus[1m]", "--model=gpt-5", "-p");
        List<String> warnings = new java.util.ArrayList<>();
        Contribution c = new GatewayProvisioner().contribute(spec(List.of(), Map.of(BudgetSection.KEY, usd), env,
                command));

        Step policy = c.steps().stream().filter(s -> s.id().equals("gateway.policy")).findFirst().orElseThrow();
        assertThat(policy.summary()).contains("unpriced: claude-mystery-9, gpt-5");
        policy.action().run(new ProbeContext(spec(List.of(), Map.of(BudgetSection.KEY, usd), env, command), null,
                e -> warnings.add(String.valueOf(e))));
        assertThat(warnings).hasSize(2).allMatch(w -> w.contains("priced as the dearest model"))
                .anyMatch(w -> w.contains("claude-mystery-9")).anyMatch(w -> w.contains("gpt-5"));

        // a token budget prices nothing, and so warns of nothing
        BudgetFile.Budget tokens = new BudgetFile.Budget(Optional.of(1000L), Optional.empty(), Optional.empty(),
                List.of());
        assertThat(new GatewayProvisioner().contribute(spec(List.of(), Map.of(BudgetSection.KEY, tokens), env,
                command)).steps()).noneMatch(s -> s.summary().contains("unpriced"));
    }

    @Test
    void aBottleWithoutRoutesStillGetsTheGatewayAndItsProxySettings() {
        Contribution c = new GatewayProvisioner().contribute(spec(List.of()));

        assertThat(c.daemons()).extracting(d -> d.name()).containsExactly(BundleLayout.GATEWAY);
        assertThat(c.bundleEnv()).noneMatch(e -> e.secret().isPresent());
        assertThat(c.guestEnv()).extracting(GuestEnv::template).contains("http://{endpoint:gateway}");
    }

    @Test
    void theRecordIsExportedOnlyWhereTheHostNamesAReceiverAndItsRecordDirOutlivesTheStateDir() {
        Contribution quiet = new GatewayProvisioner().contribute(spec(List.of()));
        Contribution exporting = new GatewayProvisioner(dev.claudebottle.spi.HostEnvironment.of(java.util.Map.of(
                "CLAUDE_BOTTLE_OTLP_ENDPOINT", "http://collector.test:4318"))).contribute(spec(List.of()));

        assertThat(quiet.bundleEnv()).noneMatch(e -> e.name().equals("CLAUDE_BOTTLE_OTLP_ENDPOINT"));
        assertThat(exporting.bundleEnv()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("CLAUDE_BOTTLE_OTLP_ENDPOINT");
            assertThat(e.value()).contains("http://collector.test:4318");
        });
        Contribution own = new GatewayProvisioner(dev.claudebottle.spi.HostEnvironment.of(java.util.Map.of(
                "CLAUDE_BOTTLE_OTLP_ENDPOINT", "http://collector.test:4318"))).contribute(spec(List.of(), Map.of(
                        RecordSection.KEY, new RecordSection.Def(Optional.of(java.net.URI.create("http://own.test:4318"))))));
        assertThat(own.bundleEnv()).as("the bottle's own receiver comes first").anySatisfy(e ->
                assertThat(e.value()).contains("http://own.test:4318"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GatewayProvisioner(dev.claudebottle.spi
                .HostEnvironment.of(java.util.Map.of("CLAUDE_BOTTLE_OTLP_ENDPOINT", "http://me:s3cret@collector.test")))
                .contribute(spec(List.of()))).isInstanceOf(dev.claudebottle.spi.BadInputException.class)
                .hasMessageContaining("without credentials").hasMessageNotContaining("s3cret");
        assertThat(quiet.bundleMounts()).as("the record is the bundle base's, not the gateway's")
                .noneSatisfy(m -> assertThat(m.bundlePath()).isEqualTo(BundleLayout.AUDIT_DIR));
    }
}
