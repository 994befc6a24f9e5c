package dev.claudebottle.bundle.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.Map;

/** Text views of a request the gateway scans and logs. */
final class RequestText {
    private RequestText() {
    }

    /** Every header as {@code name: value} lines, for DLP and the tripwire. */
    static String headers(HttpRequest req) {
        return headers(req.headers());
    }

    /** Every header as {@code name: value} lines. */
    static String headers(io.netty.handler.codec.http.HttpHeaders headers) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> h : headers) {
            out.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
        }
        return out.toString();
    }

    /** The guest's address, for the audit log. */
    static String client(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }
}
