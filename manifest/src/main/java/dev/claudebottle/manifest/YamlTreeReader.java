package dev.claudebottle.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.claudebottle.manifest.YamlNode.Entry;
import dev.claudebottle.manifest.YamlNode.ListNode;
import dev.claudebottle.manifest.YamlNode.MapNode;
import dev.claudebottle.manifest.YamlNode.ScalarNode;
import dev.claudebottle.manifest.YamlNode.ScalarType;
import dev.claudebottle.spi.manifest.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into {@link YamlNode}s with locations. Duplicate keys are errors, as are
 * syntax errors; both name the place.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private final String source;

    YamlTreeReader(String source) {
        this.source = source;
    }

    /** The document's root, or {@code null} for an empty document. */
    YamlNode read(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = node(parser);
            if (parser.nextToken() != null) {
                throw problem(parser.currentTokenLocation(), "a single YAML document (found a second one)");
            }
            return root;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                String context = marked.getContext() == null ? "" : " (" + marked.getContext()
                        + (marked.getContextMark() == null ? "" : " started at line "
                        + (marked.getContextMark().getLine() + 1)) + ")";
                throw new ManifestException(List.of(new ManifestProblem(new Location(source, mark.getLine() + 1,
                        mark.getColumn() + 1), "invalid YAML: " + marked.getProblem() + context)));
            }
            JsonLocation at = e.getLocation();
            String reason = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw new ManifestException(List.of(new ManifestProblem(location(at), "invalid YAML: " + reason)));
        } catch (IOException e) {
            throw new ManifestException(List.of(new ManifestProblem(new Location(source, 1, 1),
                    "cannot read YAML: " + e.getMessage())));
        }
    }

    private YamlNode node(JsonParser parser) throws IOException {
        Location at = location(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Location keyAt = location(parser.currentTokenLocation());
                    parser.nextToken();
                    YamlNode value = node(parser);
                    Entry previous = entries.get(key);
                    if (previous != null) {
                        throw new ManifestException(List.of(new ManifestProblem(keyAt,
                                "duplicate key '" + key + "' (first defined at line "
                                        + previous.keyLocation().line() + ")")));
                    }
                    entries.put(key, new Entry(key, keyAt, value));
                }
                return new MapNode(at, entries);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(parser));
                }
                return new ListNode(at, items);
            }
            case VALUE_STRING:
                return new ScalarNode(at, parser.getText(), ScalarType.STRING);
            case VALUE_NUMBER_INT:
                return new ScalarNode(at, parser.getText(), ScalarType.INT);
            case VALUE_NUMBER_FLOAT:
                return new ScalarNode(at, parser.getText(), ScalarType.FLOAT);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new ScalarNode(at, parser.getText(), ScalarType.BOOL);
            case VALUE_NULL:
                return new ScalarNode(at, "", ScalarType.NULL);
            default:
                throw problem(parser.currentTokenLocation(), "a mapping, list or scalar (found " + token + ")");
        }
    }

    private ManifestException problem(JsonLocation at, String message) {
        return new ManifestException(List.of(new ManifestProblem(location(at), message)));
    }

    private Location location(JsonLocation at) {
        if (at == null) {
            return new Location(source, 1, 1);
        }
        return new Location(source, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    }
}
