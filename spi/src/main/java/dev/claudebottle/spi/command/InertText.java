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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            // The same escape as JSON's, so a JSON line stays JSON.
            default -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f)
                    || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff || c == 0x061c
                    ? String.format("\\u%04x", (int) c) : null;
        };
    }
}
