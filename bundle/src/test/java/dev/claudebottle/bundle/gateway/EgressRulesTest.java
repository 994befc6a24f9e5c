package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.contract.PolicyFile;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class EgressRulesTest {
    @Test
    void defaultDenyNamesTheHostOrThePort() {
        EgressRules rules = new EgressRules(policy(List.of(allow("api.github.test", 443)), List.of()));
        assertThat(rules.connect("evil.test", 443).reason()).isEqualTo("host evil.test is not allowed");
        assertThat(rules.connect("api.github.test", 22).reason()).isEqualTo("port 22 is not allowed for api.github.test");
        assertThat(rules.connect("api.github.test", 443).allowed()).isTrue();
        assertThat(rules.connect("evil.test", 443).refusal()).isEqualTo(Refusal.UNKNOWN_HOST);
        assertThat(rules.connect("api.github.test", 22).refusal()).isEqualTo(Refusal.PORT);
    }

    @Test
    void aMethodOrPathRefusalSaysWhichAndOnlyAnUnknownHostIsUnknown() {
        EgressRules rules = new EgressRules(policy(List.of(allow("h.test", 443, List.of("GET"), List.of("/a/"),
                false)), List.of()));
        assertThat(rules.request("POST", "h.test", 443, "/a/x").refusal()).isEqualTo(Refusal.METHOD);
        assertThat(rules.request("GET", "h.test", 443, "/b/x").refusal()).isEqualTo(Refusal.PATH);
        assertThat(rules.request("GET", "other.test", 443, "/a/x").refusal()).isEqualTo(Refusal.UNKNOWN_HOST);
        assertThat(rules.request("GET", "h.test", 443, "/a/x").refusal()).isEqualTo(Refusal.NONE);
    }

    @Test
    void aRefusalNamesThePresetRuleAndThePresetsThatWouldAllowIt() {
        PolicyFile.Rule npm = new PolicyFile.Rule(new dev.claudebottle.spi.manifest.HostPattern("registry.npmjs.org"),
                List.of(443), List.of("GET", "HEAD"), List.of(), false, true, java.util.Optional.of("npm"));
        EgressRules rules = new EgressRules(policy(List.of(npm), List.of()));
        Decision view = rules.request("GET", "registry.npmjs.org", 443, "/left-pad");
        assertThat(view.rule()).isEqualTo("preset npm: GET|HEAD registry.npmjs.org/**");
        assertThat(view.reach()).as("a preset's host is reached at public addresses only").isEqualTo(Reach.PUBLIC);

        Decision publish = rules.request("PUT", "registry.npmjs.org", 443, "/left-pad");
        assertThat(publish.reason()).as("the agent is never pointed at a way out").isEqualTo("method PUT is not "
                + "allowed for registry.npmjs.org (preset npm permits GET, HEAD)");
        assertThat(rules.request("GET", "registry.npmjs.org", 80, "/left-pad").reason()).as("HTTPS only")
                .isEqualTo("port 80 is not allowed for registry.npmjs.org");
        assertThat(rules.request("GET", "pypi.org", 443, "/simple/../admin").reason())
                .as("judged as the preset's rules would judge the path").isEqualTo("host pypi.org is not allowed");
        assertThat(rules.connect("pypi.org", 443).reason()).isEqualTo("host pypi.org is not allowed; a preset that "
                + "would allow this host: pypi");
        assertThat(rules.connect("proxy.golang.org", 443).reason()).as("a way out is never suggested to the agent")
                .isEqualTo("host proxy.golang.org is not allowed");
        assertThat(rules.connect("pypi.org", 80).reason()).as("not on a port a preset covers")
                .isEqualTo("host pypi.org is not allowed");
        assertThat(rules.request("GET", "files.pythonhosted.org", 443, "/admin/").reason())
                .isEqualTo("host files.pythonhosted.org is not allowed");
        assertThat(rules.request("GET", "files.pythonhosted.org", 443, "/packages/ab/six.whl").reason())
                .endsWith("a preset that would allow it: pypi");
        assertThat(rules.connect("pypi.org.evil.test", 443).reason()).isEqualTo("host pypi.org.evil.test is not "
                + "allowed");
    }

    @Test
    void exactNamesMayResolvePrivateWildcardsOnlyWhenMarked() {
        EgressRules rules = new EgressRules(policy(List.of(allow("db.corp.test", 443),
                allow("*.cdn.test", 443), allow("*.intra.test", 443, List.of(), List.of(), true)), List.of()));
        assertThat(rules.connect("db.corp.test", 443).reach()).isEqualTo(Reach.ANY);
        assertThat(rules.connect("x.cdn.test", 443).reach()).isEqualTo(Reach.PUBLIC);
        assertThat(rules.connect("x.intra.test", 443).reach()).isEqualTo(Reach.ANY);
    }

    @Test
    void routesImplyAllowAndInterceptionAndInjectOnlyWhereTheyMatch() {
        var r = new GatewayPolicy.Route(new PolicyFile.Rule(new dev.claudebottle.spi.manifest.HostPattern(
                "api.llm.test"), List.of(), List.of("POST"), List.of("/v1/"), false), "x-api-key",
                dev.claudebottle.spi.Secret.of("k"), java.util.Optional.empty(), false);
        EgressRules rules = new EgressRules(policy(List.of(), List.of(r)));
        Decision connect = rules.connect("api.llm.test", 443);
        assertThat(connect.allowed()).isTrue();
        assertThat(connect.intercept()).isTrue();
        assertThat(rules.request("POST", "api.llm.test", 443, "/v1/messages").route()).isPresent();
        assertThat(rules.request("GET", "api.llm.test", 443, "/v1/models").route()).isEmpty();
        assertThat(rules.request("GET", "api.llm.test", 443, "/v1/models").allowed()).isTrue();
        assertThat(rules.request("POST", "api.llm.test", 443, "/v2/x").route()).isEmpty();
    }

    @Test
    void aRouteWithoutPortsCoversOnly443() {
        PolicyFile.Rule where = new PolicyFile.Rule(new dev.claudebottle.spi.manifest.HostPattern("api.llm.test"),
                List.of(), List.of(), List.of(), false);
        EgressRules rules = new EgressRules(policy(List.of(), List.of(new GatewayPolicy.Route(where, "x-api-key",
                dev.claudebottle.spi.Secret.of("k"), java.util.Optional.empty(), false))));

        assertThat(rules.connect("api.llm.test", 443).allowed()).isTrue();
        assertThat(rules.connect("api.llm.test", 80).allowed()).isFalse();
        assertThat(rules.request("GET", "api.llm.test", 80, "/v1/x").allowed()).isFalse();
    }

    @Test
    void pathRulesIgnoreTheQuery() {
        EgressRules rules = new EgressRules(policy(List.of(allow("h.test", 443, List.of(), List.of("/a/"), false)),
                List.of()));
        assertThat(rules.request("GET", "h.test", 443, "/a/x?next=/b/").allowed()).isTrue();
        assertThat(rules.request("GET", "h.test", 443, "/b/?x=/a/").allowed()).isFalse();
    }

    @Test
    void tripwireIgnoresTheRoutesOwnHost() {
        Tripwire t = new Tripwire(List.of(route("api.llm.test", 443, "x-api-key")));
        assertThat(t.check("x-api-key: " + GatewayFixture.PLACEHOLDER, "api.llm.test")).isEmpty();
        assertThat(t.check("x-api-key: " + GatewayFixture.PLACEHOLDER, "evil.test")).get().asString()
                .contains("placeholder").contains("evil.test");
        assertThat(t.check("k=" + GatewayFixture.REAL_KEY, "evil.test")).get().asString()
                .doesNotContain(GatewayFixture.REAL_KEY);
    }

    @Test
    void ssrfGuardKnowsTheDangerousRanges() throws Exception {
        for (String ip : List.of("127.0.0.1", "169.254.169.254", "10.0.0.1", "172.16.5.4", "192.168.1.1",
                "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1")) {
            assertThat(SsrfGuard.refusal("h.test", InetAddress.getByName(ip), Reach.PUBLIC)).as(ip).isPresent();
            assertThat(SsrfGuard.refusal("h.test", InetAddress.getByName(ip), Reach.ANY)).as(ip).isEmpty();
        }
        assertThat(SsrfGuard.refusal("h.test", InetAddress.getByName("93.184.216.34"), Reach.PUBLIC)).isEmpty();
    }

    @Test
    void aPrivateNetworkReachStillRefusesLoopbackMetadataAndTheUnspecifiedAddress() throws Exception {
        for (String ip : List.of("10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "fd00::1")) {
            assertThat(SsrfGuard.refusal("h.test", InetAddress.getByName(ip), Reach.PRIVATE_NETWORKS)).as(ip).isEmpty();
        }
        for (String ip : List.of("127.0.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1", "::1", "fe80::1",
                "240.0.0.1")) {
            assertThat(SsrfGuard.refusal("h.test", InetAddress.getByName(ip), Reach.PRIVATE_NETWORKS)).as(ip)
                    .get().asString().contains("only hosts the manifest allows by name");
        }
    }

    @Test
    void connectTargetsAreParsedStrictly() {
        assertThat(HostPort.parse("Api.Test:443")).contains(new HostPort("api.test", 443));
        assertThat(HostPort.parse("[::1]:8443")).contains(new HostPort("::1", 8443));
        for (String bad : List.of("", "host", ":443", "host:", "host:0", "host:65536", "a:b:443", "h/x:443",
                "user@h:443", "host:44a")) {
            assertThat(HostPort.parse(bad)).as(bad).isEmpty();
        }
    }
}
