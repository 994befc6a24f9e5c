package dev.claudebottle.manifest;

import dev.claudebottle.manifest.YamlNode.Entry;
import dev.claudebottle.manifest.YamlNode.ListNode;
import dev.claudebottle.manifest.YamlNode.MapNode;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.manifest.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Adds an allow rule to a bottle's {@code egress.allow} in a manifest's text, as a person would
 * type it: every other line, comment and blank line stays as it was. The rule goes after the last
 * entry of a block list; a bottle without {@code allow} or without {@code egress} gets the key.
 * Sections written inline ({@code {...}}, {@code [...]}) are not rewritten: that is an error
 * saying so, and the text is left alone. A saved rule reaches public addresses only
 * ({@code private: false}): a grant is saved as the person approved it, while the host resolved
 * publicly, and a host named exactly would otherwise be let resolve anywhere.
 */
public final class AllowRuleEditor {
    private static final Pattern PLAIN_HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final String PUBLIC_ONLY = "private: false  # public addresses only, as approved";
    private final String source;

    /** An editor whose errors name {@code source}. */
    public AllowRuleEditor(String source) {
        this.source = source;
    }

    /**
     * Adds the rule to the manifest file itself: the edited text must pass {@code check} (a read
     * as a launch would read it) before it replaces the file, in one move.
     *
     * @throws BadInputException when the file is gone, or its section is written inline
     */
    public void save(Path file, String bottle, String host, int port, String note, Consumer<ManifestSource> check) {
        try {
            String changed = allow(Files.readString(file, StandardCharsets.UTF_8), bottle, host, port, note);
            check.accept(new ManifestSource(file.toString(), file.getParent(), changed));
            Path aside = file.resolveSibling("." + file.getFileName() + ".saving");
            Files.writeString(aside, changed, StandardCharsets.UTF_8);
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new BadInputException("the manifest " + file + " is gone", "approve with --scope bottle");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + host + " into " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text with an allow rule for exactly {@code host} and {@code port}, at public addresses
     * only, added to bottle {@code bottle}, {@code note} as a comment on its first line.
     */
    public String allow(String text, String bottle, String host, int port, String note) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        MapNode root = block(new YamlTreeReader(source).read(text), text, "the manifest");
        MapNode bottles = block(value(root, "bottles", "the manifest"), text, "bottles");
        Entry bottleEntry = bottles.entries().get(bottle);
        if (bottleEntry == null) {
            throw new BadInputException(source + " has no bottle '" + bottle + "' any more",
                    "add the host to the manifest by hand, or use --scope bottle");
        }
        MapNode bottleMap = block(bottleEntry.value(), text, "bottles." + bottle);
        // a host that would need quoting is no host the manifest holds, and quoting could change what it says
        if (!PLAIN_HOST.matcher(host).matches()) {
            throw new BadInputException("'" + host + "' is not a host name the manifest can hold",
                    "add the host by hand, or use --scope bottle");
        }
        Entry egress = bottleMap.entries().get("egress");
        if (egress == null) {
            String indent = " ".repeat(bottleMap.location().column() - 1);
            insert(lines, bottleEntry.keyLocation().line(), List.of(indent + "egress:", indent + "  allow:",
                    indent + "    - host: " + host + "  # " + note, indent + "      ports: [" + port + "]",
                    indent + "      " + PUBLIC_ONLY));
            return String.join("\n", lines);
        }
        MapNode egressMap = block(egress.value(), text, "bottles." + bottle + ".egress");
        Entry allow = egressMap.entries().get("allow");
        if (allow == null) {
            String indent = " ".repeat(egressMap.location().column() - 1);
            insert(lines, egress.keyLocation().line(), List.of(indent + "allow:", indent + "  - host: " + host
                    + "  # " + note, indent + "    ports: [" + port + "]", indent + "    " + PUBLIC_ONLY));
            return String.join("\n", lines);
        }
        if (!(allow.value() instanceof ListNode list) || list.items().isEmpty()
                || charAt(text, list.location()) != '-') {
            throw new BadInputException("bottles." + bottle + ".egress.allow in " + source
                    + " is not a block list (one '- host:' entry a line)", "write it as a block list, or add the host "
                    + "by hand, or use --scope bottle");
        }
        int dash = list.location().column() - 1;
        int last = list.items().get(list.items().size() - 1).location().line();
        int end = last;
        for (int i = last; i < lines.size(); i++) {
            String line = lines.get(i);
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            if (indentation(line) <= dash) {
                break;
            }
            end = i + 1;
        }
        String indent = " ".repeat(dash);
        insert(lines, end, List.of(indent + "- host: " + host + "  # " + note, indent + "  ports: [" + port + "]",
                indent + "  " + PUBLIC_ONLY));
        return String.join("\n", lines);
    }

    private static void insert(List<String> lines, int afterLine, List<String> added) {
        lines.addAll(afterLine, added);
    }

    private MapNode block(YamlNode node, String text, String what) {
        if (!(node instanceof MapNode map) || charAt(text, map.location()) == '{') {
            throw new BadInputException(what + " in " + source + " is not a block mapping (one key a line)",
                    "write it as a block mapping, or add the host by hand, or use --scope bottle");
        }
        return map;
    }

    private YamlNode value(MapNode map, String key, String what) {
        Entry e = map.entries().get(key);
        if (e == null) {
            throw new BadInputException(what + " in " + source + " has no '" + key + "'", "add the host by hand");
        }
        return e.value();
    }

    private static char charAt(String text, Location at) {
        String[] lines = text.split("\n", -1);
        if (at.line() - 1 >= lines.length) {
            return 0;
        }
        String line = lines[at.line() - 1];
        return at.column() - 1 < line.length() ? line.charAt(at.column() - 1) : 0;
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
