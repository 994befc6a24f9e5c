package dev.claudebottle.bundle.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The readings of a text a secret could hide in: the text itself; its percent-decoding, layer by
 * layer (a double- or triple-encoded value); and, in each of those, every long run of base64 or
 * hex (plain, or with a delimiter between the bytes) decoded, percent-decoded in turn where it holds
 * escapes, and what those decode to once more. Every step is a single pass over its input, and the
 * decoded readings together are bounded by a multiple of the text's length.
 */
public final class EncodedViews {
    private static final int MIN_RUN = 16;
    private static final int PERCENT_LAYERS = 4;
    private static final int DECODE_DEPTH = 2;

    private EncodedViews() {
    }

    /** The text first, then its decoded readings. */
    public static List<String> of(String text) {
        List<String> views = new ArrayList<>();
        views.add(text);
        String current = text;
        for (int i = 0; i < PERCENT_LAYERS && (current.indexOf('%') >= 0 || current.indexOf('+') >= 0); i++) {
            String next = percentDecoded(current);
            if (next.equals(current)) {
                break;
            }
            views.add(next);
            current = next;
        }
        long[] budget = {2L * text.length() + 4096};
        List<String> level = List.copyOf(views);
        for (int depth = 0; depth < DECODE_DEPTH && !level.isEmpty(); depth++) {
            List<String> decoded = new ArrayList<>();
            for (String view : level) {
                decodeRuns(view, decoded, budget);
            }
            views.addAll(decoded);
            level = decoded;
        }
        return views;
    }

    /** Every valid {@code %XX} decoded as a byte; everything else kept; UTF-8 where it is, Latin-1 where not. */
    public static String percentDecoded(String text) {
        byte[] out = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                out[n++] = (byte) (hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                out[n++] = ' ';
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                // not ASCII: keep the text's own characters as they are
                return text;
            }
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static void decodeRuns(String text, List<String> out, long[] budget) {
        int i = 0;
        while (i < text.length() && budget[0] > 0) {
            char c = text.charAt(i);
            // a hex string with a delimiter between its bytes: aa-bb-cc, aa:bb:cc or aa bb cc
            if (i + 2 < text.length() && hex(c) >= 0 && hex(text.charAt(i + 1)) >= 0 && delimiter(text.charAt(i + 2))) {
                int end = delimitedHexEnd(text, i);
                if (end > 0) {
                    add(out, budget, bytesOfHex(text.substring(i, end).replaceAll("[-: ]", "")));
                    i = end;
                    continue;
                }
            }
            if (!base64Char(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean allHex = true;
            while (i < text.length() && base64Char(text.charAt(i))) {
                allHex &= hex(text.charAt(i)) >= 0;
                i++;
            }
            int end = i;
            while (i < text.length() && text.charAt(i) == '=') {
                i++;
            }
            if (end - start < MIN_RUN) {
                continue;
            }
            String run = text.substring(start, end);
            add(out, budget, allHex && run.length() % 2 == 0 ? bytesOfHex(run) : base64(run));
        }
    }

    /** The end of {@code aa-bb-cc…} from {@code start} when it holds at least eight bytes, else -1. */
    private static int delimitedHexEnd(String text, int start) {
        char delimiter = text.charAt(start + 2);
        int i = start;
        int bytes = 0;
        while (i + 1 < text.length() && hex(text.charAt(i)) >= 0 && hex(text.charAt(i + 1)) >= 0) {
            bytes++;
            i += 2;
            if (i < text.length() && text.charAt(i) == delimiter) {
                i++;
            } else {
                break;
            }
        }
        if (text.charAt(i - 1) == delimiter) {
            i--;
        }
        return bytes >= 8 ? i : -1;
    }

    private static void add(List<String> out, long[] budget, String decoded) {
        String current = decoded;
        for (int layer = 0; layer <= PERCENT_LAYERS && current != null && !current.isEmpty() && budget[0] > 0; layer++) {
            budget[0] -= current.length();
            out.add(current);
            // a run that decodes to escapes (base64 of a URL-encoded value) is read through them too
            String next = current.indexOf('%') >= 0 ? percentDecoded(current) : current;
            current = next.equals(current) ? null : next;
        }
    }

    private static String base64(String run) {
        String padded = run + "===".substring(0, (4 - run.length() % 4) % 4);
        try {
            boolean urlSafe = run.indexOf('-') >= 0 || run.indexOf('_') >= 0;
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(padded);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String bytesOfHex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (hex(hex.charAt(2 * i)) * 16 + hex(hex.charAt(2 * i + 1)));
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static boolean base64Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '-' || c == '_';
    }

    private static boolean delimiter(char c) {
        return c == '-' || c == ':' || c == ' ';
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
