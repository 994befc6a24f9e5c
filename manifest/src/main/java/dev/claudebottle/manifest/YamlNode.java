package dev.claudebottle.manifest;

import dev.claudebottle.spi.manifest.Location;
import java.util.List;
import java.util.Map;

/** A YAML node that remembers where it stands, so every error can name file:line:column. */
sealed interface YamlNode {
    /** Where the node starts. */
    Location location();

    /** What a user would call this kind of node, for "expected X, found Y" messages. */
    String kind();

    /** A mapping; keys in file order. */
    record MapNode(Location location, Map<String, Entry> entries) implements YamlNode {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** One key of a mapping with where the key stands. */
    record Entry(String key, Location keyLocation, YamlNode value) {
    }

    /** A sequence. */
    record ListNode(Location location, List<YamlNode> items) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar with the type YAML's implicit resolution gave it. */
    record ScalarNode(Location location, String text, ScalarType type) implements YamlNode {
        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INT -> "a number";
                case FLOAT -> "a number";
                case BOOL -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }

    /** Scalar types after implicit resolution. */
    enum ScalarType { STRING, INT, FLOAT, BOOL, NULL }
}
