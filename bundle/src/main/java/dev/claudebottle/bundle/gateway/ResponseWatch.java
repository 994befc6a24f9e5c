package dev.claudebottle.bundle.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches a response streamed to the guest for one value (a route's real credential the gateway
 * injected into the request), across the boundaries of the parts it arrives in. It passes on what
 * cannot be the start of the value at once and holds back only a part's tail that could be: so a
 * stream of events is not delayed, and no part of the value reaches the guest before the whole of
 * it would have been seen.
 */
final class ResponseWatch {
    private final byte[] value;
    private byte[] held = new byte[0];

    ResponseWatch(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether text (a header block, say) holds the value. */
    boolean seenIn(String text) {
        return value.length > 0 && text.contains(new String(value, StandardCharsets.UTF_8));
    }

    /**
     * The bytes to pass on now, given the next part of the body; null when the value is in the body
     * and the response must be cut off.
     */
    byte[] next(byte[] part) {
        byte[] all = new byte[held.length + part.length];
        System.arraycopy(held, 0, all, 0, held.length);
        System.arraycopy(part, 0, all, held.length, part.length);
        if (indexOf(all, value) >= 0) {
            return null;
        }
        int keep = startOfValueAtEnd(all);
        held = Arrays.copyOfRange(all, all.length - keep, all.length);
        return Arrays.copyOf(all, all.length - keep);
    }

    /** What was held back, to pass on when the body ends without the value. */
    byte[] rest() {
        byte[] rest = held;
        held = new byte[0];
        return rest;
    }

    /** The length of the longest tail of {@code data} that the value starts with (shorter than the value). */
    private int startOfValueAtEnd(byte[] data) {
        for (int k = Math.min(value.length - 1, data.length); k > 0; k--) {
            if (Arrays.equals(data, data.length - k, data.length, value, 0, k)) {
                return k;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] data, byte[] target) {
        if (target.length == 0) {
            return -1;
        }
        outer:
        for (int i = 0; i <= data.length - target.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (data[i + j] != target[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
