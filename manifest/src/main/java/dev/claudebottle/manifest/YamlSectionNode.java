package dev.claudebottle.manifest;

import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.SectionNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A plugin section's view of a YAML node: the kernel's own checks, with problems collected for the whole load. */
final class YamlSectionNode implements SectionNode {
    private final NodeReader in;
    private final YamlNode node;
    private final String what;

    YamlSectionNode(NodeReader in, YamlNode node, String what) {
        this.in = in;
        this.node = node;
        this.what = what;
    }

    @Override
    public Location location() {
        return node.location();
    }

    @Override
    public String what() {
        return what;
    }

    @Override
    public Optional<Fields> fields(String... allowed) {
        return in.fields(node, what, allowed).map(f -> new Fields() {
            @Override
            public Location location() {
                return f.location();
            }

            @Override
            public Optional<SectionNode> get(String key) {
                return f.get(key).map(n -> new YamlSectionNode(in, n, f.what(key)));
            }

            @Override
            public Optional<SectionNode> require(String key) {
                return f.require(key).map(n -> new YamlSectionNode(in, n, f.what(key)));
            }
        });
    }

    @Override
    public Optional<String> string() {
        return in.string(node, what);
    }

    @Override
    public Optional<Duration> duration() {
        return in.duration(node, what);
    }

    @Override
    public Optional<Boolean> bool() {
        return in.bool(node, what);
    }

    @Override
    public Optional<Integer> integer(int min, int max) {
        return in.integer(node, what, min, max);
    }

    @Override
    public Optional<java.math.BigDecimal> number(java.math.BigDecimal min, java.math.BigDecimal max) {
        return in.number(node, what, min, max);
    }

    @Override
    public List<SectionNode> list() {
        return in.list(node, what).stream().map(n -> (SectionNode) new YamlSectionNode(in, n, what + " entry"))
                .toList();
    }

    @Override
    public Optional<Path> existingPath(boolean directory) {
        return in.existingPath(node, what, directory);
    }

    @Override
    public void problem(String message) {
        in.problem(node.location(), what + ": " + message);
    }
}
