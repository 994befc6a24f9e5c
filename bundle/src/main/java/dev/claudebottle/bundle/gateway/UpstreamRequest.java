package dev.claudebottle.bundle.gateway;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A guest's request rewritten for the upstream: the checked path as its target, no hop-by-hop
 * header (nor any its {@code Connection} names), the authority the decision was made on as its
 * {@code Host}, and a length that is its body's.
 */
final class UpstreamRequest {
    private static final String[] HOP_BY_HOP = {"Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate",
            "Keep-Alive", "TE", "Trailer", "Upgrade", "Transfer-Encoding"};

    private UpstreamRequest() {
    }

    /** Rewrites {@code p}'s request in place to go upstream on {@code path}. */
    static void rewrite(GuestRequest p, String path) {
        FullHttpRequest req = p.http();
        req.setUri(path);
        for (String named : req.headers().getAll(HttpHeaderNames.CONNECTION)) {
            for (String option : named.split(",")) {
                if (!option.isBlank()) {
                    req.headers().remove(option.strip());
                }
            }
        }
        for (String hop : HOP_BY_HOP) {
            req.headers().remove(hop);
        }
        req.headers().remove(HttpHeaderNames.CONNECTION);
        // The upstream is told exactly the authority the decision was made on.
        boolean defaultPort = p.tls() ? p.port() == 443 : p.port() == 80;
        String name = p.host().contains(":") ? "[" + p.host() + "]" : p.host();
        req.headers().set(HttpHeaderNames.HOST, defaultPort ? name : name + ":" + p.port());
        HttpUtil.setContentLength(req, req.content().readableBytes());
        if (req.content().readableBytes() == 0 && !req.method().name().matches("POST|PUT|PATCH")) {
            req.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
    }
}
