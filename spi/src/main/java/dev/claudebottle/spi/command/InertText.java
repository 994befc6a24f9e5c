package dev.claudebottle.spi.command;

/**
 * Text a guest wrote (an approval request's title, a path in the audit log, a line of the
 * bundle's log), made inert for a person's terminal: control characters — line breaks, the line
 * and paragraph separators, escape sequences, C1 controls — and the invisible characters that
 * reorder or hide text are shown as escapes, so such text can neither move the cursor, erase a
 * row, forge another line, nor read differently from what it holds.
 */
public final class InertText {
    private InertText() {
    }

    /** {@code text} with every character that acts on a terminal, or hides itself, written as an escape. */
    public static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            String escape = width == 2 ? (hidden(cp) ? unicode(text.charAt(i)) + unicode(text.charAt(i + 1)) : null)
                    : escape(text.charAt(i));
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : text.substring(i, i + width));
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }

    /** Tag characters and the variation selectors beyond the basic plane: they show nothing. */
    private static boolean hidden(int codePoint) {
        return codePoint >= 0xe0000 && codePoint <= 0xe01ef;
    }

    private static String unicode(char c) {
        return String.format("\\u%04x", (int) c);
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            // The same escape as JSON's, so a JSON line stays JSON.
            default -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f)
                    || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff || c == 0x061c
                    || invisible(c) ? unicode(c) : null;
        };
    }

    /**
     * Characters that show nothing yet are kept in text: the soft hyphen, fillers, variation
     * selectors, interlinear annotation marks, and a lone surrogate (one half of a character).
     */
    private static boolean invisible(char c) {
        return c == 0x00ad || c == 0x034f || c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5
                || (c >= 0x180b && c <= 0x180f) || c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xffa0
                || (c >= 0xfff9 && c <= 0xfffb) || Character.isSurrogate(c);
    }
}
