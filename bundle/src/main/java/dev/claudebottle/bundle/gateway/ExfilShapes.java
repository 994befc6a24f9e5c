package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.trust.EncodedViews;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Data smuggled in the shape of a request rather than in a pattern: encoded labels in the host
 * name (hex, base32, base64, as DNS tunnels use them), hosts with more labels than real services
 * have, and high-entropy path segments. Each rule is set so that the names and paths of everyday
 * services (CDNs, UUIDs, commit hashes, package files) pass.
 */
final class ExfilShapes {
    private static final int LONG_LABEL = 16;
    private static final int ENCODED_LABEL = 8;
    private static final int MOST_LABELS = 6;
    private static final int LONGEST_HOST = 120;
    private static final int LONG_SEGMENT = 24;

    private ExfilShapes() {
    }

    /** Why {@code host} looks like it carries data, if it does. */
    static Optional<String> inHost(String host) {
        if (host.isEmpty() || host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return Optional.empty();
        }
        if (host.length() > LONGEST_HOST) {
            return Optional.of("a host name of " + host.length() + " characters");
        }
        String[] labels = host.split("\\.");
        if (labels.length > MOST_LABELS) {
            return Optional.of("a host name of " + labels.length + " labels");
        }
        int encoded = 0;
        // the last two labels name the domain itself
        for (int i = 0; i < labels.length - 2; i++) {
            String label = labels[i];
            String shape = shape(label);
            if (shape != null && label.length() >= LONG_LABEL) {
                return Optional.of(shape + " data in a host label");
            }
            if (shape != null && label.length() >= ENCODED_LABEL) {
                encoded++;
            }
        }
        return encoded >= 2 ? Optional.of("encoded data across host labels") : Optional.empty();
    }

    /** Why a path segment looks like it carries data, if one does; a target encoded three times over is such data too. */
    static Optional<String> inPath(String target) {
        String decoded = target;
        for (int layer = 0; layer < 3; layer++) {
            String next = EncodedViews.percentDecoded(decoded);
            if (next.equals(decoded)) {
                break;
            }
            if (layer == 2) {
                return Optional.of("a URL percent-encoded three times over");
            }
            decoded = next;
        }
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        for (String segment : path.split("/")) {
            if (segment.length() >= LONG_SEGMENT && segment.chars().allMatch(Character::isLetterOrDigit)
                    && segment.chars().anyMatch(Character::isUpperCase) && segment.chars().anyMatch(Character::isLowerCase)
                    && segment.chars().anyMatch(Character::isDigit) && entropy(segment) >= 4.0) {
                return Optional.of("a high-entropy path segment");
            }
        }
        return Optional.empty();
    }

    /** The encoding a label looks like (hex, base32, base64), or null. */
    private static String shape(String label) {
        if (label.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                && label.chars().anyMatch(Character::isDigit)
                && (label.chars().anyMatch(Character::isLetter) || label.length() >= 12)) {
            return "hex";
        }
        String upper = label.toUpperCase(java.util.Locale.ROOT);
        if ((label.equals(upper) || label.equals(label.toLowerCase(java.util.Locale.ROOT)))
                && upper.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))
                && upper.chars().filter(Character::isDigit).count() >= 2 && label.chars().anyMatch(Character::isLetter)) {
            return "base32";
        }
        if (label.length() >= 20 && label.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')
                && label.chars().anyMatch(Character::isUpperCase) && label.chars().anyMatch(Character::isLowerCase)
                && entropy(label) >= 3.5) {
            return "base64";
        }
        // base64 lower-cased on its way through DNS, as most clients send host names
        if (label.length() >= 24 && label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                && label.chars().filter(Character::isDigit).count() >= 4 && entropy(label) >= 3.8) {
            return "base64";
        }
        return null;
    }

    /** Shannon entropy, in bits a character. */
    static double entropy(String s) {
        Map<Character, Integer> counts = new HashMap<>();
        for (char c : s.toCharArray()) {
            counts.merge(c, 1, Integer::sum);
        }
        double bits = 0;
        for (int n : counts.values()) {
            double p = (double) n / s.length();
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
