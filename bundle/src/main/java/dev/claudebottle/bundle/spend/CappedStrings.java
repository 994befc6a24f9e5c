package dev.claudebottle.bundle.spend;

/**
 * Shortens every string in a JSON byte stream to about its first {@code cap} bytes, in place, so
 * that a parser fed through it never holds a long string (a Message's text can be megabytes)
 * while the structure, the numbers and the short strings it is read for pass unchanged. A string
 * is cut only where a character starts, never inside a UTF-8 sequence or an escape, so what is
 * kept is still valid JSON.
 */
final class CappedStrings {
    private final int cap;
    private boolean inString;
    private boolean dropping;
    private boolean afterBackslash;
    private int hexDigitsLeft;
    private int kept;

    CappedStrings(int cap) {
        this.cap = cap;
    }

    /** Keeps the bytes of {@code bytes[from, to)} that pass, moved to its start; how many they are. */
    int keep(byte[] bytes, int from, int to) {
        int at = from;
        for (int i = from; i < to; i++) {
            if (passes(bytes[i])) {
                bytes[at++] = bytes[i];
            }
        }
        return at - from;
    }

    private boolean passes(byte b) {
        if (!inString) {
            if (b == '"') {
                inString = true;
                dropping = false;
                kept = 0;
            }
            return true;
        }
        if (afterBackslash) {
            afterBackslash = false;
            hexDigitsLeft = b == 'u' ? 4 : 0;
            return within();
        }
        if (hexDigitsLeft > 0) {
            hexDigitsLeft--;
            return within();
        }
        if (b == '"') {
            inString = false;
            return true;
        }
        afterBackslash = b == '\\';
        if (!dropping && kept >= cap && (b & 0xC0) != 0x80) {
            dropping = true;
        }
        return within();
    }

    private boolean within() {
        if (dropping) {
            return false;
        }
        kept++;
        return true;
    }
}
