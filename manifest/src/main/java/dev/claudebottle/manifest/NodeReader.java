package dev.claudebottle.manifest;

import dev.claudebottle.manifest.YamlNode.Entry;
import dev.claudebottle.manifest.YamlNode.ListNode;
import dev.claudebottle.manifest.YamlNode.MapNode;
import dev.claudebottle.manifest.YamlNode.ScalarNode;
import dev.claudebottle.manifest.YamlNode.ScalarType;
import dev.claudebottle.spi.manifest.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to YAML nodes that records a {@link ManifestProblem} (and returns empty) instead
 * of throwing, so one load reports every problem it finds.
 */
final class NodeReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private final List<ManifestProblem> problems = new ArrayList<>();
    private final Path baseDir;

    NodeReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    List<ManifestProblem> problems() {
        return problems;
    }

    void problem(Location at, String message) {
        problems.add(new ManifestProblem(at, message));
    }

    /** The node as a mapping whose keys must all be in {@code allowed}. */
    Optional<Fields> fields(YamlNode node, String what, String... allowed) {
        if (!(node instanceof MapNode map)) {
            problem(node.location(), what + ": expected a mapping, found " + node.kind());
            return Optional.empty();
        }
        Set<String> known = new LinkedHashSet<>(List.of(allowed));
        for (Entry e : map.entries().values()) {
            if (!known.contains(e.key())) {
                problem(e.keyLocation(), "unknown key '" + e.key() + "' in " + what + "; expected one of: "
                        + String.join(", ", known));
            }
        }
        return Optional.of(new Fields(map, what));
    }

    /** The node as a mapping with arbitrary keys (names of bottles, agents, env entries). */
    Optional<MapNode> map(YamlNode node, String what) {
        if (node instanceof MapNode map) {
            return Optional.of(map);
        }
        problem(node.location(), what + ": expected a mapping, found " + node.kind());
        return Optional.empty();
    }

    Optional<String> string(YamlNode node, String what) {
        if (node instanceof ScalarNode s && s.type() == ScalarType.STRING && !s.text().isEmpty()) {
            return Optional.of(s.text());
        }
        problem(node.location(), what + ": expected a non-empty string, found " + describe(node));
        return Optional.empty();
    }

    /** A plain value: a string, number or boolean, as text. */
    Optional<String> plainValue(YamlNode node, String what) {
        if (node instanceof ScalarNode s && s.type() != ScalarType.NULL) {
            return Optional.of(s.text());
        }
        problem(node.location(), what + ": expected a plain value (string, number or boolean), found " + node.kind());
        return Optional.empty();
    }

    Optional<java.math.BigDecimal> number(YamlNode node, String what, java.math.BigDecimal min,
                                          java.math.BigDecimal max) {
        if (node instanceof ScalarNode s && (s.type() == ScalarType.INT || s.type() == ScalarType.FLOAT)) {
            try {
                java.math.BigDecimal v = new java.math.BigDecimal(s.text().replace("_", ""));
                if (v.compareTo(min) >= 0 && v.compareTo(max) <= 0) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException ignored) {
                // falls through to the problem below
            }
        }
        problem(node.location(), what + ": expected a number from " + min.toPlainString() + " to "
                + max.toPlainString() + ", found " + describe(node));
        return Optional.empty();
    }

    Optional<Integer> integer(YamlNode node, String what, int min, int max) {
        if (node instanceof ScalarNode s && s.type() == ScalarType.INT) {
            try {
                int v = Integer.parseInt(s.text());
                if (v >= min && v <= max) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException ignored) {
                // falls through to the problem below
            }
        }
        problem(node.location(), what + ": expected a whole number from " + min + " to " + max + ", found "
                + describe(node));
        return Optional.empty();
    }

    Optional<Boolean> bool(YamlNode node, String what) {
        if (node instanceof ScalarNode s && s.type() == ScalarType.BOOL) {
            return Optional.of(Boolean.parseBoolean(s.text()));
        }
        problem(node.location(), what + ": expected true or false, found " + describe(node));
        return Optional.empty();
    }

    List<YamlNode> list(YamlNode node, String what) {
        if (node instanceof ListNode list) {
            return list.items();
        }
        problem(node.location(), what + ": expected a list, found " + node.kind());
        return List.of();
    }

    List<String> stringList(YamlNode node, String what) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : list(node, what)) {
            string(item, what + " entry").ifPresent(out::add);
        }
        return out;
    }

    /** A duration such as {@code 30s}, {@code 10m}, {@code 1h30m} or {@code 500ms}. */
    Optional<Duration> duration(YamlNode node, String what) {
        Optional<String> text = node instanceof ScalarNode s && s.type() == ScalarType.STRING
                ? Optional.of(s.text()) : Optional.empty();
        if (text.isPresent()) {
            Matcher m = DURATION.matcher(text.get());
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
                end = m.end();
            }
            if (end == text.get().length() && end > 0 && !total.isZero()) {
                return Optional.of(total);
            }
        }
        problem(node.location(), what + ": expected a positive duration like 30s, 10m or 1h30m, found "
                + describe(node));
        return Optional.empty();
    }

    /** A path relative to the manifest's folder (or starting with ~), which must exist. */
    Optional<Path> existingPath(YamlNode node, String what, boolean directory) {
        Optional<String> text = string(node, what);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Path path = resolve(text.get());
        boolean ok = directory ? Files.isDirectory(path) : Files.isRegularFile(path);
        if (!ok) {
            problem(node.location(), what + ": expected an existing " + (directory ? "directory" : "file")
                    + ", but " + path + " is not one");
            return Optional.empty();
        }
        Optional<Path> signIn = SignInFiles.within(path);
        if (signIn.isPresent()) {
            // a file a manifest names is copied or mounted somewhere: a sign-in never is, whoever wrote the manifest
            problem(node.location(), what + ": expected a path that holds no Claude Code sign-in, but " + path
                    + " holds " + signIn.get());
            return Optional.empty();
        }
        return Optional.of(path);
    }

    private Path resolve(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(text.substring(Math.min(2, text.length())))
                    .normalize();
        }
        return baseDir.resolve(text).toAbsolutePath().normalize();
    }

    static String describe(YamlNode node) {
        if (node instanceof ScalarNode s && s.type() != ScalarType.NULL) {
            return s.kind() + " '" + s.text() + "'";
        }
        return node.kind();
    }

    /** A mapping whose keys were checked; hands out values by key. */
    final class Fields {
        private final MapNode map;
        private final String what;

        private Fields(MapNode map, String what) {
            this.map = map;
            this.what = what;
        }

        Location location() {
            return map.location();
        }

        Optional<YamlNode> get(String key) {
            return Optional.ofNullable(map.entries().get(key)).map(Entry::value);
        }

        Optional<YamlNode> require(String key) {
            Optional<YamlNode> value = get(key);
            if (value.isEmpty()) {
                problem(map.location(), what + ": missing required key '" + key + "'");
            }
            return value;
        }

        String what(String key) {
            return what + "." + key;
        }
    }
}
