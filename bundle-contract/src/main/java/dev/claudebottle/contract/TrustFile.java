package dev.claudebottle.contract;

import dev.claudebottle.spi.manifest.EgressDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every daemon that sends the guest's traffic out looks for and trusts, written once a bottle
 * by the {@link BundleBase}: the bottle's own secret patterns (beside the built-in ones) and the
 * file of extra CAs trusted upstream. The gateway scans requests and the git gate scans pushes with
 * the same patterns, and both verify their upstreams with the same CAs, whichever plugins enable them.
 *
 * @param dlpPatterns the bottle's own secret patterns
 * @param upstreamCa  the file (in the bundle) of extra CAs trusted upstream, if the bottle names any
 */
public record TrustFile(List<Pattern> dlpPatterns, Optional<String> upstreamCa) {
    /** The format this build writes and reads. */
    public static final int VERSION = 1;
    /** Nothing beyond the built-in patterns and the system's CAs. */
    public static final TrustFile NONE = new TrustFile(List.of(), Optional.empty());

    /** Copies the patterns. */
    public TrustFile {
        dlpPatterns = List.copyOf(dlpPatterns);
        Objects.requireNonNull(upstreamCa, "upstreamCa");
    }

    /**
     * A named secret pattern.
     *
     * @param name  what the audit log calls it
     * @param regex the pattern
     */
    public record Pattern(String name, String regex) {
        /** Requires both parts. */
        public Pattern {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(regex, "regex");
        }
    }

    /** What a bottle's egress section makes of it. */
    public static TrustFile of(EgressDef egress) {
        return new TrustFile(egress.dlp().patterns().stream().map(p -> new Pattern(p.name(), p.regex())).toList(),
                egress.upstreamCa().isEmpty() ? Optional.empty() : Optional.of(BundleLayout.UPSTREAM_CA_FILE));
    }

    /** Its JSON tree. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VERSION);
        json.put("dlp_patterns", dlpPatterns.stream().map(p -> Map.of("name", p.name(), "regex", p.regex())).toList());
        upstreamCa.ifPresent(c -> json.put("upstream_ca", c));
        return json;
    }

    /**
     * The trust file in a JSON tree.
     *
     * @throws IllegalArgumentException naming the first part that is not what this version writes
     */
    public static TrustFile fromJson(Object tree) {
        JsonTree root = new JsonTree("the trust file", tree);
        if (!root.get("version").isNumber(VERSION)) {
            throw new IllegalArgumentException("it is not a version " + VERSION + " trust file");
        }
        List<Pattern> patterns = new ArrayList<>();
        List<Object> listed = root.get("dlp_patterns").listOrEmpty();
        for (int i = 0; i < listed.size(); i++) {
            JsonTree p = new JsonTree("dlp_patterns[" + i + "]", listed.get(i));
            patterns.add(new Pattern(p.get("name").text(), p.get("regex").text()));
        }
        return new TrustFile(patterns, root.get("upstream_ca").optionalText());
    }
}
