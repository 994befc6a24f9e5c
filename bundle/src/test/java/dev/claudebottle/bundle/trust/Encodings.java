package dev.claudebottle.bundle.trust;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The ways a guest could dress a value up to slip it past a check that looks for it as it is: each
 * yields text that is legal in a URL, a header and a body, and that decodes back to text holding
 * the value. The value sits at every offset a base64 run can give it, and behind characters that
 * shift a run's start.
 */
public final class Encodings {
    public static final Map<String, UnaryOperator<String>> ALL = all();

    private Encodings() {
    }

    private static Map<String, UnaryOperator<String>> all() {
        Map<String, UnaryOperator<String>> all = new LinkedHashMap<>();
        all.put("base64", v -> base64(v));
        all.put("base64 one byte in", v -> base64("k" + v));
        all.put("base64 two bytes in, padded", v -> base64("k=" + v + "&x"));
        all.put("base64 url-safe without padding", v -> Base64.getUrlEncoder().withoutPadding().encodeToString(
                bytes("{\"k\":\"" + v + "\"}")));
        all.put("base64 url-safe padded", v -> Base64.getUrlEncoder().encodeToString(bytes("[" + v + "]")));
        all.put("base64 behind characters that shift the run", v -> "/c/" + base64(v));
        all.put("base64 twice", v -> base64(base64(v)));
        all.put("percent-encoded twice", v -> percent(v).replace("%", "%25"));
        all.put("percent-encoded three times", v -> percent(v).replace("%", "%2525"));
        all.put("percent-encoded base64", v -> percent(base64(v)));
        all.put("base64 of percent-encoded", v -> base64(percent(v)));
        all.put("hex", v -> HexFormat.of().formatHex(bytes(v)));
        all.put("hex upper case, one digit in", v -> "0" + HexFormat.of().withUpperCase().formatHex(bytes(v)));
        all.put("hex with colons", v -> HexFormat.ofDelimiter(":").formatHex(bytes(v)));
        return all;
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(bytes(text));
    }

    /** Every byte as {@code %XX}. */
    public static String percent(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes(text)) {
            out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return out.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
