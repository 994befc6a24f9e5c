package dev.claudebottle.bundle.gateway;

import dev.claudebottle.contract.CredentialForms;
import java.util.Arrays;
import java.util.List;

/**
 * Watches what an upstream streams to the guest for one value (a route's real credential the
 * gateway injected into the request), in each form it can leak in ({@link CredentialForms}: a
 * {@code Bearer} value's token alone too), as it is or encoded ({@link EncodedForms}), across
 * the boundaries of the parts it arrives in. It passes on what cannot be the start of a form at
 * once and holds back only a part's tail that could be: so a stream of events is not delayed, and
 * no part of the value reaches the guest before the whole of it would have been seen. What was
 * passed on stays in view, so a value that a message ends with the start of, and the next one
 * goes on with, is still seen there.
 */
final class ResponseWatch {
    private final EncodedForms forms;
    private final List<byte[]> needles;
    /** The forms by their first byte, so that one pass over a part finds any of them. */
    private final byte[][][] byFirstByte = new byte[256][][];
    private final int longest;
    /** The last bytes seen, as many as one less than the longest form. */
    private byte[] tail = new byte[0];
    /** How many of the tail's last bytes are held back, not passed on yet. */
    private int held;

    ResponseWatch(String value) {
        this.forms = EncodedForms.ofEach(CredentialForms.of(value));
        this.needles = forms.bytes();
        this.longest = needles.stream().mapToInt(n -> n.length).max().orElse(0);
        for (byte[] needle : needles) {
            byte[][] starting = byFirstByte[needle[0] & 0xff];
            starting = starting == null ? new byte[1][] : Arrays.copyOf(starting, starting.length + 1);
            starting[starting.length - 1] = needle;
            byFirstByte[needle[0] & 0xff] = starting;
        }
    }

    /** Whether text (a header block, say) holds the value. */
    boolean seenIn(String text) {
        return forms.in(text);
    }

    /** Whether a part seen alone (a control frame, say) holds the value. */
    boolean seenIn(byte[] part) {
        for (int i = 0; i < part.length; i++) {
            byte[][] candidates = byFirstByte[part[i] & 0xff];
            if (candidates == null) {
                continue;
            }
            for (byte[] needle : candidates) {
                if (i + needle.length <= part.length && Arrays.equals(part, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The bytes to pass on now, given the next part of the stream; null when the value is in it and
     * the stream must be cut off.
     */
    byte[] next(byte[] part) {
        byte[] all = new byte[tail.length + part.length];
        System.arraycopy(tail, 0, all, 0, tail.length);
        System.arraycopy(part, 0, all, tail.length, part.length);
        if (seenIn(all)) {
            return null;
        }
        // what was passed on already cannot be held back
        int keep = Math.min(startOfAFormAtEnd(all), held + part.length);
        byte[] now = Arrays.copyOfRange(all, tail.length - held, all.length - keep);
        held = keep;
        tail = Arrays.copyOfRange(all, Math.max(0, all.length - Math.max(longest - 1, 0)), all.length);
        return now;
    }

    /** What was held back, to pass on when the body or message ends without the value. */
    byte[] rest() {
        byte[] rest = Arrays.copyOfRange(tail, tail.length - held, tail.length);
        held = 0;
        return rest;
    }

    /** The length of the longest tail of {@code data} that a form starts with (shorter than the form). */
    private int startOfAFormAtEnd(byte[] data) {
        int longestStart = 0;
        for (byte[] needle : needles) {
            for (int k = Math.min(needle.length - 1, data.length); k > longestStart; k--) {
                if (Arrays.equals(data, data.length - k, data.length, needle, 0, k)) {
                    longestStart = k;
                    break;
                }
            }
        }
        return longestStart;
    }

    @Override
    public String toString() {
        return "ResponseWatch[***]";
    }
}
