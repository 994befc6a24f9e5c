package dev.claudebottle.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.Login;
import dev.claudebottle.spi.manifest.Placeholder;
import dev.claudebottle.spi.manifest.RouteDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes that take their credential from the host's Claude Code sign-in ({@code login: claude}). */
class ClaudeSignInRouteTest {
    private static final String ACCESS = "sk-ant-oat01-live-access-token";
    private static final String REFRESH = "sk-ant-ort01-live-refresh-token";
    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private final List<String> messages = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    @TempDir
    Path home;

    private static RouteDef signIn(boolean optional) {
        return new RouteDef(new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of(), "authorization", "",
                Optional.of(Login.CLAUDE), Optional.empty(),
                optional, false, false, new Location("bottle.yaml", 20, 11));
    }

    private static RouteDef apiKey() {
        return new RouteDef(new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of(), "x-api-key",
                "${ANTHROPIC_API_KEY}", Optional.empty(), true, false, false, new Location("bottle.yaml", 12, 11));
    }

    private List<CredentialRoute> resolve(Map<String, String> env, RouteDef... routes) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("HOME", home.toString());
        return new RouteResolver(HostEnvironment.of(all), e -> {
            messages.add(e.message());
            if (e instanceof Event.Warning) {
                warnings.add(e.message());
            }
        }, Clock.fixed(NOW, ZoneOffset.UTC)).resolve(List.of(routes));
    }

    private void signedIn(Instant expiresAt) throws Exception {
        signedIn(expiresAt, REFRESH);
    }

    private void signedIn(Instant expiresAt, String refresh) throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/.credentials.json"), "{\"claudeAiOauth\":{\"accessToken\":\"" + ACCESS
                + "\",\"refreshToken\":\"" + refresh + "\",\"expiresAt\":" + expiresAt.toEpochMilli()
                + ",\"scopes\":[\"user:inference\",\"user:profile\"],\"subscriptionType\":\"max\"}}");
    }

    @Test
    void theHostsAccessTokenBecomesTheRoutesBearerValueAndNothingShowsIt() throws Exception {
        signedIn(NOW.plusSeconds(3600));

        List<CredentialRoute> routes = resolve(Map.of(), signIn(false));

        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r.value().reveal()).isEqualTo("Bearer " + ACCESS);
            assertThat(r.toString()).doesNotContain(ACCESS);
        });
        assertThat(String.join("\n", messages)).doesNotContain(ACCESS).doesNotContain(REFRESH);
    }

    @Test
    void aKeyFromTheHostEnvComesBeforeTheSignIn() throws Exception {
        signedIn(NOW.plusSeconds(3600));

        List<CredentialRoute> routes = resolve(Map.of("ANTHROPIC_API_KEY", "sk-ant-api03-key"), apiKey(), signIn(true));

        assertThat(routes).singleElement().satisfies(r -> assertThat(r.route().header()).isEqualTo("x-api-key"));
    }

    @Test
    void withoutASignInAnOptionalRouteIsSkippedAndTheHostNamedWhenNothingElseIsThere() {
        assertThat(resolve(Map.of(), apiKey(), signIn(true))).isEmpty();
        assertThat(warnings).containsExactly("no credential for api.anthropic.com: its routes are skipped because "
                + "ANTHROPIC_API_KEY is not set and the host has no Claude sign-in (claude, then /login)");
    }

    @Test
    void aRequiredSignInThatIsMissingOrExpiredBeyondRefreshSaysWhatToDoInOneLine() throws Exception {
        assertThatThrownBy(() -> resolve(Map.of(), signIn(false))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("uses the host's Claude sign-in, but " + home.resolve(".claude/.credentials.json")
                        + " holds none")
                .satisfies(e -> assertThat(((BadInputException) e).hint()).hasValueSatisfying(h ->
                        assertThat(h).contains("claude, then /login")));

        signedIn(NOW.minusSeconds(1), "");
        assertThatThrownBy(() -> resolve(Map.of(), signIn(true))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("whose access token expired at " + NOW.minusSeconds(1)
                        + " and which cannot be refreshed").hasMessageNotContaining(ACCESS);
    }

    @Test
    void anExpiredAccessTokenThatCanBeRefreshedStartsTheBottleWhoseGatewayRefreshesIt() throws Exception {
        signedIn(NOW.minusSeconds(3600));

        assertThat(resolve(Map.of(), signIn(false))).singleElement()
                .satisfies(r -> assertThat(r.route().login()).contains(Login.CLAUDE));
    }

    @Test
    void aCredentialsFileThatIsNotJsonIsNamedWithoutQuotingIt() throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/.credentials.json"), "{\"claudeAiOauth\":{\"accessToken\":\"" + ACCESS);

        assertThatThrownBy(() -> resolve(Map.of(), signIn(true))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("is not the JSON Claude Code writes").hasMessageNotContaining(ACCESS);
    }

    @Test
    void claudeConfigDirIsWhereClaudeCodeLooksFirst() throws Exception {
        Path config = home.resolve("elsewhere");
        Files.createDirectories(config);
        Files.writeString(config.resolve(".credentials.json"), "{\"claudeAiOauth\":{\"accessToken\":\"" + ACCESS
                + "\",\"expiresAt\":" + NOW.plusSeconds(60).toEpochMilli() + "}}");

        assertThat(resolve(Map.of("CLAUDE_CONFIG_DIR", config.toString()), signIn(false))).hasSize(1);
    }

    @Test
    void doctorSaysWhetherTheHostIsSignedInAndUntilWhenWithoutTheToken() throws Exception {
        HostEnvironment env = HostEnvironment.of(Map.of("HOME", home.toString()));
        assertThat(ClaudeSignIn.check(env, NOW).detail()).startsWith("none in ");

        signedIn(NOW.minusSeconds(60));
        dev.claudebottle.spi.Check refreshable = ClaudeSignIn.check(env, NOW);
        assertThat(refreshable.status()).isEqualTo(dev.claudebottle.spi.Check.Status.OK);
        assertThat(refreshable.detail()).contains("refreshed by the gateway").doesNotContain(ACCESS)
                .doesNotContain(REFRESH);

        signedIn(NOW.plusSeconds(60), "");
        dev.claudebottle.spi.Check good = ClaudeSignIn.check(env, NOW);
        assertThat(good.status()).isEqualTo(dev.claudebottle.spi.Check.Status.OK);
        assertThat(good.detail()).contains("good until " + NOW.plusSeconds(60)).doesNotContain(ACCESS);

        dev.claudebottle.spi.Check expired = ClaudeSignIn.check(env, NOW.plusSeconds(61));
        assertThat(expired.status()).isEqualTo(dev.claudebottle.spi.Check.Status.WARN);
        assertThat(expired.hint()).hasValueSatisfying(h -> assertThat(h).contains("claude, then /login"));
        assertThat(expired.toString()).doesNotContain(ACCESS).doesNotContain(REFRESH);
    }

    @Test
    void resolvedRoutesKeepTheManifestsOrderSoTheRecordsRouteNumbersNameTheManifestsRoutes() throws Exception {
        signedIn(NOW.plusSeconds(3600));
        RouteDef other = new RouteDef(new HostPattern("api.corp.test"), List.of(), List.of(), List.of(), "x-api-key",
                "${CORP_KEY}", Optional.empty(), false, false, false, new Location("bottle.yaml", 30, 11));

        List<CredentialRoute> routes = resolve(Map.of("CORP_KEY", "corp-key-value"), signIn(false), other);

        assertThat(routes).extracting(r -> r.route().host().pattern() + " " + r.bundleEnv())
                .containsExactly("api.anthropic.com CLAUDE_BOTTLE_ROUTE_0", "api.corp.test CLAUDE_BOTTLE_ROUTE_1");
    }

    @Test
    void aManifestFoundInTheWorkingDirectoryMayNotSendTheSignInThroughItsOwnProxyOrCa() throws Exception {
        Path hostCas = Files.createDirectories(home.resolve("host-cas"));
        Files.writeString(home.resolve("bottle.yaml"), "x");
        String yaml = """
                version: 1
                bottles:
                  web:
                    egress:
                      routes:
                        - {host: api.anthropic.com, header: authorization, login: claude}
                      %s
                agents:
                  a: {bottle: web}
                """;
        java.util.function.BiConsumer<String, Boolean> check = (egress, implicit) -> {
            ManifestSource source = new ManifestSource(home.resolve("bottle.yaml").toString(), home,
                    yaml.formatted(egress), implicit);
            SignInGuard.check(source, new ManifestReader(hostCas).read(source.name(), source.baseDir(), source.text()),
                    hostCas);
        };
        String pem = TestPem.ca();
        Files.writeString(home.resolve("their-ca.pem"), pem);
        Files.writeString(hostCas.resolve("corp.crt"), pem);

        assertThatThrownBy(() -> check.accept("upstream_ca: their-ca.pem", true)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("found in the working directory, sends the host's Claude sign-in (bottle 'web') "
                        + "through its own upstream_ca " + home.resolve("their-ca.pem"))
                .satisfies(e -> assertThat(((BadInputException) e).hint()).hasValueSatisfying(h ->
                        assertThat(h).contains("-f")));
        assertThatThrownBy(() -> check.accept("upstream_proxy: http://proxy.evil.test:3128", true))
                .hasMessageContaining("through its own upstream_proxy http://proxy.evil.test:3128");
        check.accept("upstream_ca: their-ca.pem", false);
        check.accept("upstream_ca: " + hostCas.resolve("corp.crt"), true);
        check.accept("dlp: {action: block}", true);
    }

    @Test
    void aRunningBottleIsVerifiedWithTheSignInEvenAfterItsAccessTokenExpired() throws Exception {
        signedIn(NOW.minusSeconds(60));
        Map<String, String> env = Map.of("HOME", home.toString());

        List<CredentialRoute> routes = RouteResolver.forRunningBottle(HostEnvironment.of(env), e -> { })
                .resolve(List.of(signIn(false)));

        assertThat(routes).singleElement().satisfies(r -> assertThat(r.value().reveal()).isEqualTo("Bearer " + ACCESS));
    }
}
