package dev.claudebottle.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Keeps the third-party contract to the SPI: the bundle contract (the bundle's names, files and
 * wire formats, shared by the project's own modules) stays out of the SPI, the example plugin and
 * the part of the plugin guide a third party reads.
 */
class ThirdPartyContractTest {
    /** The heading of the section that tells a third party what to compile against. */
    static final String CONTRACT_HEADING = "## The contract";
    /** The heading of the bundled plugins' maintainers' section; everything before it is for third parties. */
    static final String BUNDLED_ONLY_HEADING = "## Bundled plugins only: what they share with the bundle";
    static final List<String> MODULE_NAMES = List.of("bundle-contract", "dev.claudebottle.contract");
    static final int SPI_MAX_LINES = 2_300;
    private static final Pattern FENCED =
            Pattern.compile("^```[^\\n]*\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    // The docs module's tests run in docs/, so the repository is its parent.
    private final Path root = Path.of(System.getProperty("docs.dir")).toAbsolutePath().getParent();

    @Test
    void helloProvisionerNeverMentionsTheBundleContract() throws IOException {
        Path example = root.resolve("examples/hello-provisioner");
        List<Path> files = new ArrayList<>(List.of(example.resolve("pom.xml")));
        try (Stream<Path> sources = Files.walk(example.resolve("src"))) {
            sources.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        assertThat(files).as("the example's pom and sources").hasSizeGreaterThanOrEqualTo(2);
        for (Path file : files) {
            String text = Files.readString(file);
            for (String name : MODULE_NAMES) {
                assertThat(text).as("%s, a third-party plugin, names %s", root.relativize(file), name)
                        .doesNotContain(name);
            }
        }
    }

    @Test
    void pluginGuidesThirdPartyPartNeverNamesTheBundleContract() throws IOException {
        ThirdPartyPart part = ThirdPartyPart.of(Files.readString(root.resolve("docs/plugins.md")));
        for (String name : MODULE_NAMES) {
            assertThat(part.text()).as("%s names %s", part.where(), name).doesNotContain(name);
        }
        List<String> types = contractTypes();
        List<String> named = new ArrayList<>();
        for (String code : codeIn(part.text())) {
            for (String type : types) {
                // Only in code (`PolicyFile`, `BundleVariables.X.read(env)`): "Rotation" may be a word of prose.
                if (Pattern.compile("\\b" + type + "\\b").matcher(code).find()) {
                    named.add(type + " in " + code.strip());
                }
            }
        }
        assertThat(named).as("bundle contract types %s names", part.where()).isEmpty();
    }

    @Test
    void spiHasNoBundlePackage() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (Path java : spiSources()) {
            Matcher declared = PACKAGE.matcher(Files.readString(java));
            packages.add(declared.find() ? declared.group(1) : "(none) in " + root.relativize(java));
        }
        assertThat(packages).as("packages of spi/src/main/java").contains("dev.claudebottle.spi")
                .noneMatch(p -> List.of(p.split("\\.")).contains("bundle"));
        try (Stream<Path> dirs = Files.walk(root.resolve("spi/src/main/java"))) {
            assertThat(dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().equals("bundle")))
                    .as("bundle folders under spi/src/main/java").isEmpty();
        }
    }

    @Test
    void spiMainSourcesStayWithin2300Lines() throws IOException {
        long lines = 0;
        for (Path java : spiSources()) {
            try (Stream<String> l = Files.lines(java)) {
                lines += l.count();
            }
        }
        assertThat(lines).as("lines of every .java under spi/src/main/java").isPositive()
                .isLessThanOrEqualTo(SPI_MAX_LINES);
    }

    @Test
    void spiDependsOnNoModuleOfTheProject() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("spi/pom.xml").toFile()).getDocumentElement();
        String projectGroup = text(children(project, "parent"), "groupId");
        assertThat(projectGroup).as("the spi's parent").isEqualTo("dev.claudebottle");
        List<String> ours = new ArrayList<>();
        for (Element dependencies : children(project, "dependencies")) {
            for (Element dep : children(dependencies, "dependency")) {
                String group = text(List.of(dep), "groupId");
                if (group.equals(projectGroup) || group.equals("${project.groupId}")) {
                    ours.add(text(List.of(dep), "artifactId"));
                }
            }
        }
        assertThat(ours).as("modules of the project spi/pom.xml depends on").isEmpty();
    }

    /**
     * The text of the plugin guide a third party reads: from the top to the bundled plugins' section
     * (all of it without one), holding the contract.
     */
    record ThirdPartyPart(String text, String where) {
        static ThirdPartyPart of(String guide) {
            if (!hasHeading(guide, CONTRACT_HEADING)) {
                fail("docs/plugins.md has no '" + CONTRACT_HEADING + "' heading: where is the third-party contract?");
            }
            Matcher bundledOnly = heading(BUNDLED_ONLY_HEADING).matcher(guide);
            if (!bundledOnly.find()) {
                return new ThirdPartyPart(guide, "docs/plugins.md (all of it: no '" + BUNDLED_ONLY_HEADING + "')");
            }
            String text = guide.substring(0, bundledOnly.start());
            if (!hasHeading(text, CONTRACT_HEADING)) {
                fail("docs/plugins.md has '" + CONTRACT_HEADING + "' after '" + BUNDLED_ONLY_HEADING
                        + "': the third-party contract must come first");
            }
            return new ThirdPartyPart(text, "docs/plugins.md before '" + BUNDLED_ONLY_HEADING + "'");
        }
    }

    /** Every fenced block and inline code span of a markdown text. */
    static List<String> codeIn(String markdown) {
        List<String> code = new ArrayList<>();
        Matcher fenced = FENCED.matcher(markdown);
        while (fenced.find()) {
            code.add(fenced.group(1));
        }
        Matcher inline = INLINE.matcher(FENCED.matcher(markdown).replaceAll(""));
        while (inline.find()) {
            code.add(inline.group(1));
        }
        return code;
    }

    private static boolean hasHeading(String text, String heading) {
        return heading(heading).matcher(text).find();
    }

    private static Pattern heading(String heading) {
        return Pattern.compile("^" + Pattern.quote(heading) + "\\s*$", Pattern.MULTILINE);
    }

    /** The bundle contract's public type names, from its sources, so a type added there is covered. */
    private List<String> contractTypes() throws IOException {
        Path contract = root.resolve("bundle-contract/src/main/java/dev/claudebottle/contract");
        try (Stream<Path> files = Files.list(contract)) {
            List<String> types = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList();
            assertThat(types).as("types of the bundle contract").contains("BundleLayout", "PolicyFile");
            return types;
        }
    }

    private List<Path> spiSources() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("spi/src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The text of the first {@code name} child of the first of {@code parents}, or "" when there is none. */
    private static String text(List<Element> parents, String name) {
        return parents.stream().findFirst().flatMap(p -> children(p, name).stream().findFirst())
                .map(e -> e.getTextContent().strip()).orElse("");
    }
}
