package dev.claudebottle.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.manifest.ManifestException;
import dev.claudebottle.manifest.ManifestReader;
import dev.claudebottle.provision.git.GitSection;
import dev.claudebottle.provision.supervise.SuperviseSection;
import dev.claudebottle.spi.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the docs true: every {@code yaml} block marked {@code # valid} must load, every block
 * marked {@code # invalid: <text>} must fail with that text.
 */
class DocsExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyMarkedManifestExampleBehavesAsTheDocsSay() throws IOException {
        Path docs = Path.of(System.getProperty("docs.dir"));
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = BLOCK.matcher(Files.readString(md));
                int n = 0;
                while (m.find()) {
                    String yaml = m.group(1);
                    String first = yaml.lines().findFirst().orElse("");
                    String name = docs.relativize(md) + " example " + (++n);
                    if (first.startsWith("# valid")) {
                        tests.add(DynamicTest.dynamicTest(name, () -> {
                            Manifest manifest = read(yaml);
                            assertThat(manifest.agents()).isNotEmpty();
                        }));
                    } else if (first.startsWith("# invalid:")) {
                        String expected = first.substring("# invalid:".length()).strip();
                        tests.add(DynamicTest.dynamicTest(name, () -> assertThatThrownBy(() -> read(yaml))
                                .isInstanceOf(ManifestException.class).hasMessageContaining(expected)));
                    }
                }
            }
        }
        assertThat(tests).as("the docs carry checked examples").hasSizeGreaterThanOrEqualTo(3);
        return tests.stream();
    }

    private Manifest read(String yaml) throws IOException {
        // Files the examples refer to exist relative to the manifest, as they would for a user.
        for (String file : List.of("agents/coder.md", "certs/corp-ca.pem", "keys/id_ed25519", "keys/known_hosts")) {
            Path p = temp.resolve(file);
            Files.createDirectories(p.getParent());
            if (Files.exists(p)) {
                continue;
            }
            if (file.endsWith(".pem")) {
                Files.copy(getClass().getResourceAsStream("test-ca.pem"), p);
            } else {
                Files.writeString(p, "example");
            }
        }
        Files.createDirectories(temp.resolve("skills/review"));
        return new ManifestReader(temp.resolve("host-cas"), List.of(new SuperviseSection(), new GitSection(),
                new dev.claudebottle.provision.gateway.RecordSection(),
                new dev.claudebottle.provision.gateway.BudgetSection())).read("bottle.yaml", temp,
                yaml);
    }
}
