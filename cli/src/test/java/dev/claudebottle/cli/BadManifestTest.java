package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad manifest exits 2 and names file:line:column and what was expected. */
class BadManifestTest {
    @TempDir
    Path temp;

    private static final String AGENTS = "agents:\n  a: {bottle: b}\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("yaml syntax", "version: 1\nbottles: [unclosed\n", "3:1", "invalid YAML: expected ',' or ']'"),
                Arguments.of("empty file", "", "1:1", "the manifest is empty"),
                Arguments.of("top level is a list", "- version\n", "1:1", "the manifest: expected a mapping"),
                Arguments.of("missing version", "bottles: {b: {}}\n" + AGENTS, "1:1", "missing required key 'version'"),
                Arguments.of("unsupported version", "version: 2\nbottles: {b: {}}\n" + AGENTS, "1:10",
                        "version: expected a whole number from 1 to 1, found a number '2'"),
                Arguments.of("version is text", "version: one\nbottles: {b: {}}\n" + AGENTS, "1:10",
                        "expected a whole number"),
                Arguments.of("unknown top-level key", "version: 1\nbotles: {}\nbottles: {b: {}}\n" + AGENTS, "2:1",
                        "unknown key 'botles' in the manifest; expected one of: version, bottles, agents"),
                Arguments.of("duplicate key", "version: 1\nbottles: {b: {}}\nbottles: {c: {}}\n" + AGENTS, "3:1",
                        "duplicate key 'bottles' (first defined at line 2)"),
                Arguments.of("bottles is a list", "version: 1\nbottles: [b]\n" + AGENTS, "2:10",
                        "bottles: expected a mapping, found a list"),
                Arguments.of("bad bottle name", "version: 1\nbottles:\n  Web_1: {}\n" + AGENTS, "3:3",
                        "bottle name 'Web_1': expected lower-case letters"),
                Arguments.of("unknown bottle key", "version: 1\nbottles:\n  b:\n    egres: {}\n" + AGENTS, "4:5",
                        "unknown key 'egres' in bottles.b; expected one of: env, egress, limits, budget, git, record, supervise"),
                Arguments.of("env value is a map", "version: 1\nbottles:\n  b:\n    env:\n      X: {y: 1}\n" + AGENTS,
                        "5:10", "bottles.b.env.X: expected a plain value"),
                Arguments.of("bad env name", "version: 1\nbottles:\n  b:\n    env: {1X: a}\n" + AGENTS, "4:11",
                        "expected a variable name, found '1X'"),
                Arguments.of("allow entry without host",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow:\n        - ports: [443]\n" + AGENTS,
                        "6:11", "missing required key 'host'"),
                Arguments.of("bad wildcard host",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow:\n        - host: \"*foo.test\"\n"
                                + AGENTS, "6:17", "expected a host name or *.domain"),
                Arguments.of("wildcard on a bare tld",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow: [{host: \"*.test\"}]\n" + AGENTS,
                        "5:22", "a wildcard needs a suffix with a dot"),
                Arguments.of("bad method",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow:\n        - host: x.test\n"
                                + "          methods: [GET, FETCH]\n" + AGENTS, "7:26",
                        "expected one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT (upper case), found 'FETCH'"),
                Arguments.of("port out of range",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow:\n        - host: x.test\n"
                                + "          ports: [70000]\n" + AGENTS, "7:19",
                        "expected a whole number from 1 to 65535, found a number '70000'"),
                Arguments.of("path without slash",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow:\n        - host: x.test\n"
                                + "          paths: [repos/]\n" + AGENTS, "7:19", "expected a path prefix starting with /"),
                Arguments.of("methods as a string",
                        "version: 1\nbottles:\n  b:\n    egress:\n      allow:\n        - host: x.test\n"
                                + "          methods: GET\n" + AGENTS, "7:20", "methods: expected a list, found a string"),
                Arguments.of("route without header",
                        "version: 1\nbottles:\n  b:\n    egress:\n      routes:\n        - host: x.test\n"
                                + "          value: \"${T}\"\n" + AGENTS, "6:11", "missing required key 'header'"),
                Arguments.of("route value unterminated",
                        "version: 1\nbottles:\n  b:\n    egress:\n      routes:\n        - host: x.test\n"
                                + "          header: authorization\n          value: \"Bearer ${T\"\n" + AGENTS,
                        "8:18", "unterminated ${"),
                Arguments.of("bad header name",
                        "version: 1\nbottles:\n  b:\n    egress:\n      routes:\n        - host: x.test\n"
                                + "          header: \"x api key\"\n          value: \"${T}\"\n" + AGENTS,
                        "7:19", "expected an HTTP header name"),
                Arguments.of("placeholder without env",
                        "version: 1\nbottles:\n  b:\n    egress:\n      routes:\n        - host: x.test\n"
                                + "          header: h\n          value: \"${T}\"\n          placeholder: {value: p}\n"
                                + AGENTS, "9:24", "missing required key 'env'"),
                Arguments.of("unknown route key",
                        "version: 1\nbottles:\n  b:\n    egress:\n      routes:\n        - host: x.test\n"
                                + "          header: h\n          value: \"${T}\"\n          secret: yes\n" + AGENTS,
                        "9:11", "unknown key 'secret'"),
                Arguments.of("bad dlp action",
                        "version: 1\nbottles:\n  b:\n    egress:\n      dlp: {action: scream}\n" + AGENTS, "5:21",
                        "expected block or warn, found 'scream'"),
                Arguments.of("invalid dlp regex",
                        "version: 1\nbottles:\n  b:\n    egress:\n      dlp:\n        patterns:\n"
                                + "          - {name: broken, regex: \"a(b\"}\n" + AGENTS, "7:35",
                        "expected a regular expression RE2 accepts"),
                Arguments.of("bad upstream proxy",
                        "version: 1\nbottles:\n  b:\n    egress:\n      upstream_proxy: proxy.corp\n" + AGENTS, "5:23",
                        "expected a proxy URL like http://proxy.corp:3128"),
                Arguments.of("missing upstream ca",
                        "version: 1\nbottles:\n  b:\n    egress:\n      upstream_ca: certs/none.pem\n" + AGENTS, "5:20",
                        "expected an existing file"),
                Arguments.of("git entry without upstream",
                        "version: 1\nbottles:\n  b:\n    git:\n      - name: app\n" + AGENTS, "5:9",
                        "missing required key 'upstream'"),
                Arguments.of("bad git upstream",
                        "version: 1\nbottles:\n  b:\n    git:\n      - {name: app, upstream: github.com/acme}\n" + AGENTS,
                        "5:31", "expected a git URL like git@host:org/repo.git"),
                Arguments.of("duplicate git name",
                        "version: 1\nbottles:\n  b:\n    git:\n      - {name: app, upstream: \"git@h.test:a/b.git\"}\n"
                                + "      - {name: app, upstream: \"git@h.test:a/c.git\"}\n" + AGENTS, "6:9",
                        "duplicate name 'app'"),
                Arguments.of("bad push glob",
                        "version: 1\nbottles:\n  b:\n    git:\n      - name: app\n        upstream: git@h.test:a/b.git\n"
                                + "        push: [\"../main\"]\n" + AGENTS, "7:16", "expected a branch name or glob"),
                Arguments.of("bad duration",
                        "version: 1\nbottles:\n  b:\n    supervise: {timeout: 10 minutes}\n" + AGENTS, "4:26",
                        "expected a positive duration like 30s, 10m or 1h30m, found a string '10 minutes'"),
                Arguments.of("zero duration",
                        "version: 1\nbottles:\n  b:\n    supervise: {timeout: 0s}\n" + AGENTS, "4:26",
                        "expected a positive duration"),
                Arguments.of("agent with unknown bottle",
                        "version: 1\nbottles:\n  b: {}\nagents:\n  a: {bottle: c}\n", "5:15",
                        "agents.a.bottle: expected the name of a bottle in this manifest (b), found 'c'"),
                Arguments.of("agent without bottle",
                        "version: 1\nbottles:\n  b: {}\nagents:\n  a: {prompt: hi}\n", "5:6",
                        "missing required key 'bottle'"),
                Arguments.of("prompt and prompt_file",
                        "version: 1\nbottles:\n  b: {}\nagents:\n  a:\n    bottle: b\n    prompt: hi\n"
                                + "    prompt_file: p.md\n", "6:5", "either 'prompt' or 'prompt_file', not both"),
                Arguments.of("missing prompt file",
                        "version: 1\nbottles:\n  b: {}\nagents:\n  a: {bottle: b, prompt_file: nope.md}\n", "5:31",
                        "expected an existing file"),
                Arguments.of("empty command",
                        "version: 1\nbottles:\n  b: {}\nagents:\n  a: {bottle: b, command: []}\n", "5:27",
                        "expected a non-empty list"),
                Arguments.of("no agents", "version: 1\nbottles:\n  b: {}\nagents: {}\n", "4:9",
                        "agents: expected at least one agent"),
                Arguments.of("unknown agent key",
                        "version: 1\nbottles:\n  b: {}\nagents:\n  a: {bottle: b, model: opus}\n", "5:18",
                        "unknown key 'model' in agents.a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exits2NamingFileLineColumnAndWhatWasExpected(String name, String yaml, String lineColumn, String expected)
            throws IOException {
        Path work = Files.createDirectories(temp.resolve("work"));
        Path manifest = work.resolve("bottle.yaml");
        Files.writeString(manifest, yaml);
        var r = new CliHarness(temp.resolve("home"), work).run("plan", "a", "-f", manifest.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).as(r.err()).contains(manifest + ":" + lineColumn).contains(expected);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
