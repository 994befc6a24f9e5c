package dev.claudebottle.spi.manifest;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host in an egress rule: an exact name ({@code api.github.com}) or {@code *.suffix}, which
 * matches subdomains of the suffix only, never the suffix itself.
 *
 * @param pattern the normalised (lower-case) pattern
 */
public record HostPattern(String pattern) {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Normalises and validates the pattern. */
    public HostPattern {
        Objects.requireNonNull(pattern, "pattern");
        pattern = pattern.toLowerCase(Locale.ROOT);
        String problem = problem(pattern);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why a text is not a valid host pattern, or {@code null} when it is.
     */
    public static String problem(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        String name = t.startsWith("*.") ? t.substring(2) : t;
        if (name.isEmpty() || name.length() > 253) {
            return "a host name or *.domain";
        }
        if (name.contains("*")) {
            return "a host name or *.domain (a wildcard is allowed only as the whole first label)";
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "a host name or *.domain ('" + label + "' is not a valid label)";
            }
        }
        if (t.startsWith("*.") && !name.contains(".")) {
            return "a host name or *.domain (a wildcard needs a suffix with a dot, like *.example.test)";
        }
        return null;
    }

    /** Whether this is a {@code *.suffix} pattern. */
    public boolean wildcard() {
        return pattern.startsWith("*.");
    }

    /** Whether the host matches: exactly, or as a strict subdomain for a wildcard. */
    public boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (wildcard()) {
            String suffix = pattern.substring(1);
            return h.endsWith(suffix) && h.length() > suffix.length();
        }
        return h.equals(pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
