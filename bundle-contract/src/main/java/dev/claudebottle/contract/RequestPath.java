package dev.claudebottle.contract;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * The path a rule or a route's scope is matched against, and that goes upstream: percent-escapes
 * of unreserved characters decoded, dot-segments removed (RFC 3986, 5.2.4), the query kept as it
 * came. A path that would still read differently to another parser — an encoded {@code /} or
 * {@code \}, a backslash, an encoded percent sign before one of those or a dot — has no single
 * meaning, and is refused where paths decide.
 */
public final class RequestPath {
    private RequestPath() {
    }

    /** The normalised origin-form target, or empty when the path is ambiguous. */
    public static Optional<String> normalise(String target) {
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        String query = q >= 0 ? target.substring(q) : "";
        StringBuilder decoded = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                return Optional.empty();
            }
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                return Optional.empty();
            }
            int value = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
            String escape = path.substring(i, i + 3).toUpperCase(Locale.ROOT);
            i += 2;
            if (unreserved((char) value)) {
                decoded.append((char) value);
            } else if (escape.equals("%2F") || escape.equals("%5C")) {
                return Optional.empty();
            } else if (escape.equals("%25") && i + 2 < path.length() && doubleEncodedTrap(path.substring(i + 1, i + 3))) {
                return Optional.empty();
            } else {
                decoded.append(escape);
            }
        }
        if (decoded.length() == 0 || decoded.charAt(0) != '/') {
            return target.equals("*") ? Optional.of(target) : Optional.empty();
        }
        return Optional.of(withoutDotSegments(decoded.toString()) + query);
    }

    /** {@code %25} followed by the hex of {@code .}, {@code /} or {@code \}: a second decoding would make one. */
    private static boolean doubleEncodedTrap(String twoChars) {
        String h = twoChars.toUpperCase(Locale.ROOT);
        return h.equals("2E") || h.equals("2F") || h.equals("5C");
    }

    private static String withoutDotSegments(String path) {
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (s.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(s);
            }
        }
        return "/" + String.join("/", out);
    }

    /** Whether {@code path} lies under {@code prefix} on a segment boundary: {@code /v1} covers {@code /v1/x}, not {@code /v10}. */
    public static boolean under(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        return prefix.endsWith("/") || path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
