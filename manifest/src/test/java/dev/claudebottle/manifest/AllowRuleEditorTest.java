package dev.claudebottle.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowRuleEditorTest {
    private static final String NOTE = "approved through bottle supervise (request 0a1b2c3d)";

    private static String allow(String text, String bottle) {
        return new AllowRuleEditor("bottle.yaml").allow(text, bottle, "npm.test", 80, NOTE);
    }

    private static Manifest read(String text) {
        return new ManifestReader(Path.of("/nonexistent"), List.of()).read("bottle.yaml", Path.of("/tmp"), text);
    }

    @Test
    void aRuleGoesAfterTheLastEntryAndEveryOtherLineStaysAsItWas() {
        String text = """
                version: 1
                # the web bottle
                bottles:
                  web:
                    egress:
                      allow:
                        - host: api.github.com   # the API
                          methods: [GET]

                        # docs too
                        - host: docs.test
                      dlp: {action: warn}  # noisy
                agents:
                  coder: {bottle: web}
                """;

        String edited = allow(text, "web");

        assertThat(edited).isEqualTo("""
                version: 1
                # the web bottle
                bottles:
                  web:
                    egress:
                      allow:
                        - host: api.github.com   # the API
                          methods: [GET]

                        # docs too
                        - host: docs.test
                        - host: npm.test  # approved through bottle supervise (request 0a1b2c3d)
                          ports: [80]
                          private: false  # public addresses only, as approved
                      dlp: {action: warn}  # noisy
                agents:
                  coder: {bottle: web}
                """);
        assertThat(read(edited).bottles().get("web").egress().allow()).extracting(AllowRule::host)
                .extracting(h -> h.pattern()).containsExactly("api.github.com", "docs.test", "npm.test");
        assertThat(read(edited).bottles().get("web").egress().allow().get(2).ports()).containsExactly(80);
    }

    @Test
    void aBottleWithoutAllowOrWithoutEgressGetsTheKey() {
        String text = """
                version: 1
                bottles:
                  web:
                    # no egress yet
                    env: {A: b}
                  api:
                    egress:
                      dlp: {action: warn}
                agents:
                  coder: {bottle: web}
                """;

        String edited = allow(allow(text, "web"), "api");

        Manifest m = read(edited);
        assertThat(m.bottles().get("web").egress().allow()).singleElement()
                .satisfies(r -> assertThat(r.host().pattern()).isEqualTo("npm.test"));
        assertThat(m.bottles().get("api").egress().allow()).singleElement()
                .satisfies(r -> assertThat(r.ports()).containsExactly(80));
        assertThat(m.bottles().get("web").env()).containsEntry("A", "b");
        assertThat(edited).contains("    # no egress yet\n").contains("      dlp: {action: warn}\n");
    }

    @Test
    void aSavedGrantStaysPublicWhereAHandWrittenNameMayResolveAnywhere() {
        String text = """
                version: 1
                bottles:
                  web:
                    egress:
                      allow:
                        - host: docs.test
                agents:
                  coder: {bottle: web}
                """;

        List<AllowRule> rules = read(allow(text, "web")).bottles().get("web").egress().allow();

        assertThat(rules.get(1).publicOnly()).isTrue();
        var policy = new dev.claudebottle.contract.PolicyRules(rules.stream().map(r ->
                new dev.claudebottle.contract.PolicyFile.Rule(r.host(), r.ports(), r.methods(), r.paths(),
                        r.allowPrivate(), r.publicOnly())).toList(), List.of());
        assertThat(policy.connect("npm.test", 80).anyAddress()).as("the saved grant").isFalse();
        assertThat(policy.connect("docs.test", 443).anyAddress()).as("a host named by hand").isTrue();
        assertThat(read(text.replace("- host: docs.test", "- {host: docs.test, private: false}")).bottles()
                .get("web").egress().allow().get(0).publicOnly()).isTrue();
    }

    @Test
    void anInlineSectionIsNotRewrittenAndTheErrorSaysWhatToDo() {
        for (String egress : List.of("egress: {allow: [{host: a.test}]}", "egress:\n      allow: [{host: a.test}]")) {
            String text = "version: 1\nbottles:\n  web:\n    " + egress + "\nagents:\n  coder: {bottle: web}\n";
            assertThatThrownBy(() -> allow(text, "web")).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("bottle.yaml").hasMessageContaining("block");
        }
    }

    @Test
    void aBottleThatIsGoneIsAnError() {
        assertThatThrownBy(() -> allow("version: 1\nbottles:\n  web:\n    env: {}\nagents: {}\n", "api"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no bottle 'api'");
    }

    @Test
    void aHostThatWouldNeedQuotingIsRefusedAndNothingIsWritten() {
        String text = "version: 1\nbottles:\n  web:\n    env: {}\nagents: {}\n";
        assertThatThrownBy(() -> new AllowRuleEditor("bottle.yaml").allow(text, "web", "github.com\"  # x", 443, NOTE))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a host name the manifest can hold");
    }
}
