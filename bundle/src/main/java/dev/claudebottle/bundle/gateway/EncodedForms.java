package dev.claudebottle.bundle.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The forms a value takes inside a text, each searched for as it is: the value; its hex, in
 * either case; and its base64, in both alphabets, at each of the three offsets it can start at in
 * a longer run, cut to the characters the value alone decides. So the value is found wherever a
 * run of base64 starts, whatever comes before or after it, without decoding the run. Holds
 * credentials: it never prints them.
 */
final class EncodedForms {
    /** A cut base64 form shorter than this would match by chance. */
    private static final int SHORTEST_BASE64 = 8;
    private final List<String> forms;

    private EncodedForms(List<String> forms) {
        this.forms = forms;
    }

    /** The forms of {@code value} (none for an empty one). */
    static EncodedForms of(String value) {
        return ofEach(List.of(value));
    }

    /** The forms of each of {@code values} together: a credential's whole value and its bare token, say. */
    static EncodedForms ofEach(List<String> values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (!value.isEmpty()) {
                addForms(value, forms);
            }
        }
        return new EncodedForms(List.copyOf(forms));
    }

    private static void addForms(String value, Set<String> forms) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        forms.add(value);
        // a decoded reading holds bytes as Latin-1 characters: a value beyond ASCII reads so there
        forms.add(new String(bytes, StandardCharsets.ISO_8859_1));
        String hex = HexFormat.of().formatHex(bytes);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String run = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // character i encodes bits 6i..6i+5: keep those that fall wholly within the value's bits
            int from = (8 * offset + 5) / 6;
            int to = 8 * (offset + bytes.length) / 6;
            if (to - from >= SHORTEST_BASE64) {
                String cut = run.substring(from, to);
                forms.add(cut);
                forms.add(cut.replace('+', '-').replace('/', '_'));
            }
        }
    }

    /** Whether {@code text} holds one of the forms. */
    boolean in(String text) {
        for (String form : forms) {
            if (text.contains(form)) {
                return true;
            }
        }
        return false;
    }

    /** The forms as the bytes they are on the wire (a value beyond Latin-1 is there as its UTF-8 reading). */
    List<byte[]> bytes() {
        return forms.stream().filter(f -> f.chars().allMatch(c -> c < 256))
                .map(f -> f.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }

    @Override
    public String toString() {
        return "***";
    }
}
