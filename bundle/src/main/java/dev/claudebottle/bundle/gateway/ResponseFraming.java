package dev.claudebottle.bundle.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * How an upstream response is framed for the guest. The upstream leg and the guest leg are two
 * HTTP/1.1 connections, so the response's hop-by-hop headers are the gateway's to set: a body the
 * upstream ends by closing its connection is re-framed as chunked for an HTTP/1.1 guest (or ends
 * with the guest connection for an HTTP/1.0 one), so the guest always sees where it ends.
 */
final class ResponseFraming {
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE);

    private ResponseFraming() {
    }

    /** A 1xx response that another response follows (everything 1xx but 101 Switching Protocols). */
    static boolean interim(HttpResponse response) {
        int code = response.status().code();
        return code >= 100 && code < 200 && code != 101;
    }

    /** Whether a response to {@code method} with this status never has a body, whatever its headers say. */
    static boolean bodiless(String method, int status) {
        return "HEAD".equals(method) || (status >= 100 && status < 200) || status == 204 || status == 304;
    }

    /** Whether the upstream ends this response's body by closing its connection. */
    static boolean closeDelimited(HttpResponse response, String method) {
        return !bodiless(method, response.status().code()) && !HttpUtil.isTransferEncodingChunked(response)
                && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    }

    /**
     * Rewrites the response's connection headers for the guest leg.
     *
     * @param guestVersion   the HTTP version of the guest's request
     * @param guestKeepAlive whether the guest connection stays open after this response
     * @return whether the guest connection must be closed after the response, because its end is
     *         the only way left to mark the end of the body
     */
    static boolean forGuest(HttpResponse response, String method, HttpVersion guestVersion, boolean guestKeepAlive) {
        boolean closeDelimited = closeDelimited(response, method);
        HttpHeaders headers = response.headers();
        for (String named : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : named.split(",")) {
                if (!token.isBlank()) {
                    headers.remove(token.strip());
                }
            }
        }
        HOP_BY_HOP.forEach(headers::remove);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean close = !guestKeepAlive;
        if (closeDelimited) {
            if (guestVersion.equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                close = true;
            }
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return close;
    }
}
