package dev.claudebottle.manifest;

import dev.claudebottle.manifest.NodeReader.Fields;
import dev.claudebottle.manifest.YamlNode.Entry;
import dev.claudebottle.manifest.YamlNode.MapNode;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.contract.HostCas;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.GuestLimits;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.Manifest;
import dev.claudebottle.spi.manifest.ManifestSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and validates a manifest (DESIGN.md §5). Every problem names file:line:column and what
 * was expected; all problems of one file are reported together.
 */
public final class ManifestReader {
    /** The only manifest version this build reads. */
    public static final int VERSION = 1;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The keys of a bottle the kernel reads itself; a plugin section cannot take them. */
    public static final List<String> KERNEL_BOTTLE_KEYS = List.of("env", "egress", "limits");
    private final Path hostCaDir;
    private final Map<String, ManifestSection<?>> sections;

    /** A reader whose bottles trust, unless they say otherwise, the host's extra CAs in {@link HostCas#DIR}. */
    public ManifestReader() {
        this(HostCas.DIR);
    }

    /** A reader whose bottles trust, unless they say otherwise, the {@code *.crt} files in {@code hostCaDir}. */
    public ManifestReader(Path hostCaDir) {
        this(hostCaDir, List.of());
    }

    /**
     * A reader that also reads the plugin {@code sections} of a bottle.
     *
     * @throws BottleException when two sections, or a section and the kernel, claim one key, naming
     *                         the sections' classes (and so their plugins)
     */
    public ManifestReader(Path hostCaDir, List<? extends ManifestSection<?>> sections) {
        this.hostCaDir = hostCaDir;
        Map<String, ManifestSection<?>> byKey = new LinkedHashMap<>();
        for (ManifestSection<?> section : sections) {
            ManifestSection<?> other = byKey.putIfAbsent(section.key(), section);
            if (KERNEL_BOTTLE_KEYS.contains(section.key()) || other != null) {
                throw new BottleException("the manifest section '" + section.key() + "' of "
                        + section.getClass().getName() + " is already read by " + (other == null ? "the kernel"
                        : other.getClass().getName()), "remove the plugin that brings one of them");
            }
        }
        this.sections = Map.copyOf(byKey);
    }

    /**
     * Reads a manifest.
     *
     * @param source  the name used in messages (usually the file path)
     * @param baseDir the folder relative paths are resolved against
     * @param text    the YAML text
     * @throws ManifestException listing every problem found
     */
    public Manifest read(String source, Path baseDir, String text) {
        YamlNode root = new YamlTreeReader(source).read(text);
        if (root == null) {
            throw new ManifestException(List.of(new ManifestProblem(new Location(source, 1, 1),
                    "the manifest is empty; expected 'version: 1', 'bottles' and 'agents'")));
        }
        NodeReader in = new NodeReader(baseDir);
        Manifest manifest = read(in, source, baseDir, root);
        if (!in.problems().isEmpty()) {
            List<ManifestProblem> sorted = new ArrayList<>(in.problems());
            sorted.sort((a, b) -> a.location().line() != b.location().line()
                    ? Integer.compare(a.location().line(), b.location().line())
                    : Integer.compare(a.location().column(), b.location().column()));
            throw new ManifestException(sorted);
        }
        return manifest;
    }

    private Manifest read(NodeReader in, String source, Path baseDir, YamlNode root) {
        Optional<Fields> f = in.fields(root, "the manifest", "version", "bottles", "agents");
        if (f.isEmpty()) {
            return null;
        }
        Fields top = f.get();
        top.require("version").ifPresent(n -> in.integer(n, "version", VERSION, VERSION));
        Map<String, BottleDef> bottles = new LinkedHashMap<>();
        top.require("bottles").flatMap(n -> in.map(n, "bottles")).ifPresent(map -> {
            for (Entry e : map.entries().values()) {
                if (validName(in, e, "bottle")) {
                    bottle(in, e).ifPresent(b -> bottles.put(b.name(), b));
                }
            }
        });
        Map<String, AgentDef> agents = new LinkedHashMap<>();
        top.require("agents").flatMap(n -> in.map(n, "agents")).ifPresent(map -> {
            if (map.entries().isEmpty()) {
                in.problem(map.location(), "agents: expected at least one agent");
            }
            for (Entry e : map.entries().values()) {
                if (validName(in, e, "agent")) {
                    agent(in, e, map, bottles).ifPresent(a -> agents.put(a.name(), a));
                }
            }
        });
        return new Manifest(source, baseDir, bottles, agents);
    }

    private boolean validName(NodeReader in, Entry e, String kind) {
        if (NAME.matcher(e.key()).matches()) {
            return true;
        }
        in.problem(e.keyLocation(), kind + " name '" + e.key()
                + "': expected lower-case letters, digits and dashes (at most 31)");
        return false;
    }

    private Optional<BottleDef> bottle(NodeReader in, Entry entry) {
        String what = "bottles." + entry.key();
        List<String> keys = new ArrayList<>(KERNEL_BOTTLE_KEYS);
        keys.addAll(sections.keySet().stream().sorted().toList());
        Optional<Fields> f = in.fields(entry.value(), what, keys.toArray(String[]::new));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields b = f.get();
        Map<String, String> env = new LinkedHashMap<>();
        b.get("env").flatMap(n -> in.map(n, b.what("env"))).ifPresent(map -> {
            for (Entry e : map.entries().values()) {
                if (!ENV_NAME.matcher(e.key()).matches()) {
                    in.problem(e.keyLocation(), b.what("env") + ": expected a variable name, found '" + e.key() + "'");
                    continue;
                }
                in.plainValue(e.value(), b.what("env") + "." + e.key()).ifPresent(v -> env.put(e.key(), v));
            }
        });
        EgressDef egress = b.get("egress").map(n -> new EgressReader(in, hostCaDir).read(n, b.what("egress")))
                .orElse(EgressDef.DENY_ALL);
        GuestLimits limits = b.get("limits").map(n -> new LimitsReader(in).read(n, b.what("limits")))
                .orElse(GuestLimits.DEFAULT);
        Map<String, Object> read = new LinkedHashMap<>();
        for (ManifestSection<?> section : sections.values()) {
            b.get(section.key()).flatMap(n -> section.read(new YamlSectionNode(in, n, b.what(section.key()))))
                    .ifPresent(value -> read.put(section.key(), value));
        }
        return Optional.of(new BottleDef(entry.key(), env, egress, limits, read, entry.keyLocation()));
    }

    private Optional<AgentDef> agent(NodeReader in, Entry entry, MapNode agents, Map<String, BottleDef> bottles) {
        String what = "agents." + entry.key();
        Optional<Fields> f = in.fields(entry.value(), what, "bottle", "prompt", "prompt_file", "skills", "command");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields a = f.get();
        Optional<String> bottle = a.require("bottle").flatMap(n -> in.string(n, a.what("bottle")).filter(v -> {
            if (bottles.containsKey(v)) {
                return true;
            }
            in.problem(n.location(), a.what("bottle") + ": expected the name of a bottle in this manifest ("
                    + (bottles.isEmpty() ? "there are none" : String.join(", ", bottles.keySet()))
                    + "), found '" + v + "'");
            return false;
        }));
        Optional<String> prompt = a.get("prompt").flatMap(n -> in.string(n, a.what("prompt")));
        Optional<Path> promptFile = a.get("prompt_file").flatMap(n -> in.existingPath(n, a.what("prompt_file"),
                false));
        if (a.get("prompt").isPresent() && a.get("prompt_file").isPresent()) {
            in.problem(a.location(), what + ": expected either 'prompt' or 'prompt_file', not both");
        }
        List<Path> skills = new ArrayList<>();
        a.get("skills").ifPresent(n -> in.list(n, a.what("skills")).forEach(item ->
                in.existingPath(item, a.what("skills") + " entry", true).ifPresent(skills::add)));
        List<String> command = a.get("command").map(n -> {
            List<String> c = in.stringList(n, a.what("command"));
            if (c.isEmpty() && in.list(n, a.what("command")).isEmpty()) {
                in.problem(n.location(), a.what("command") + ": expected a non-empty list like [claude]");
            }
            return c;
        }).orElse(AgentDef.DEFAULT_COMMAND);
        if (bottle.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AgentDef(entry.key(), bottle.get(), prompt, promptFile, skills, command,
                entry.keyLocation()));
    }
}
