package dev.claudebottle.bundle.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The refusal of a response the credential watch cannot read through: one in any content coding
 * but identity, in any of its headers, or in a transfer coding but chunked (which the codec
 * undoes). The request that carried the credential asked for identity, so such a response is
 * refused rather than passed on unwatched.
 */
final class UnreadableCoding {
    private UnreadableCoding() {
    }

    /** Why {@code host}'s response is refused, if it is in a coding the watch cannot read through. */
    static Optional<String> refusal(String host, HttpResponse response) {
        if (!unreadable(response)) {
            return Optional.empty();
        }
        return Optional.of("the response from " + host + " to a request that carried the credential "
                + "came in Content-Encoding " + String.join(", ", response.headers().getAll(
                HttpHeaderNames.CONTENT_ENCODING)) + " / Transfer-Encoding " + String.join(", ",
                response.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) + ", which cannot be watched "
                + "for it (identity was asked for); refused");
    }

    private static boolean unreadable(HttpResponse response) {
        return codings(response, HttpHeaderNames.CONTENT_ENCODING).anyMatch(c -> !c.equals("identity"))
                || codings(response, HttpHeaderNames.TRANSFER_ENCODING).anyMatch(c -> !c.equals("chunked"));
    }

    private static Stream<String> codings(HttpResponse response, CharSequence header) {
        return response.headers().getAll(header).stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(c -> c.strip().toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty());
    }
}
