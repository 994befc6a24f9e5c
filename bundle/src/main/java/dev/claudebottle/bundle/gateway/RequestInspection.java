package dev.claudebottle.bundle.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The checks a request's content meets before it goes upstream: the tripwire, then DLP, over its
 * path, headers and body — the body as it reads once its {@code Content-Encoding} (gzip, deflate, br)
 * is undone, within the body limit. A body in an encoding the gateway cannot read is refused, as
 * it cannot be checked. Pure: it touches no channel, so it may run off the event loop.
 */
final class RequestInspection {
    private RequestInspection() {
    }

    /**
     * What the inspection found.
     *
     * @param decision the refusal (tripwire alert or DLP deny), or the DLP finding in warn mode
     * @param status   the status the guest gets when it is refused
     * @param refuses  whether the request is refused; otherwise a warning is logged and it passes
     * @param redact   whether the path must not reach the audit log (it may hold the secret)
     */
    record Finding(Decision decision, HttpResponseStatus status, boolean refuses, boolean redact) {
    }

    static Optional<Finding> inspect(CompiledPolicy policy, String host, String path, String headers, byte[] body,
                                     String contentEncoding, int maxBodyBytes) {
        String text;
        try {
            text = new String(decoded(body, contentEncoding, maxBodyBytes), StandardCharsets.UTF_8);
        } catch (Unreadable e) {
            return Optional.of(new Finding(Decision.deny(Refusal.PROTOCOL, "protocol", e.getMessage()), e.status, true, false));
        }
        Optional<String> trip = policy.tripwire().check(path, host).or(() -> policy.tripwire().check(headers, host))
                .or(() -> policy.tripwire().check(text, host));
        if (trip.isPresent()) {
            // the path may hold the real value, or a form of it: none of it goes to the audit log
            return Optional.of(new Finding(Decision.alert("tripwire", trip.get()), HttpResponseStatus.FORBIDDEN, true,
                    true));
        }
        String where = "URL";
        Optional<String> found = ExfilShapes.inHost(host).or(() -> ExfilShapes.inPath(path))
                .map(shape -> "exfil-shape (" + shape + ")").or(() -> policy.scanner().scan(path));
        if (found.isEmpty()) {
            where = "a header";
            found = policy.scanner().scan(headers);
        }
        if (found.isEmpty()) {
            where = "the body";
            found = policy.scanner().scan(text);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Decision dlp = Decision.deny(Refusal.DLP, "dlp " + found.get(), "DLP pattern " + found.get() + " in " + where);
        return Optional.of(new Finding(dlp, HttpResponseStatus.FORBIDDEN, policy.dlpBlocks(), true));
    }

    /** Why a body cannot be read for scanning. */
    private static final class Unreadable extends Exception {
        final HttpResponseStatus status;

        Unreadable(HttpResponseStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private static byte[] decoded(byte[] body, String encoding, int max) throws Unreadable {
        String coding = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || coding.equals("identity") || body.length == 0) {
            return body;
        }
        try {
            InputStream in = switch (coding) {
                case "gzip", "x-gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(body));
                case "deflate" -> new InflaterInputStream(new java.io.ByteArrayInputStream(body), new Inflater(!zlib(body)));
                case "br" -> brotli(body);
                default -> throw new Unreadable(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "a body in the "
                        + "Content-Encoding '" + coding + "' cannot be checked; send it as identity, gzip, deflate or br");
            };
            try (in) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (out.size() + n > max) {
                        throw new Unreadable(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                                "the body decompresses to more than " + max + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new Unreadable(HttpResponseStatus.BAD_REQUEST, "the body is not valid " + coding);
        }
    }

    private static InputStream brotli(byte[] body) throws IOException, Unreadable {
        if (!com.aayushatharva.brotli4j.Brotli4jLoader.isAvailable()) {
            throw new Unreadable(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "a br body cannot be checked here (no "
                    + "Brotli decoder for this platform); send it as identity, gzip or deflate");
        }
        return new com.aayushatharva.brotli4j.decoder.BrotliInputStream(new java.io.ByteArrayInputStream(body));
    }

    /** Whether a deflate body carries the zlib header (RFC 1950), as most senders do, or is raw deflate. */
    private static boolean zlib(byte[] body) {
        return body.length >= 2 && (body[0] & 0x0f) == 8 && ((body[0] & 0xff) << 8 | (body[1] & 0xff)) % 31 == 0;
    }
}
