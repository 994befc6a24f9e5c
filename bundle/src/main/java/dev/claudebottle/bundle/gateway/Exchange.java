package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.Secret;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One request in flight on a guest connection: what was decided on it, and what its response has
 * said so far of its framing on both legs. Lives on the guest connection's event loop only.
 */
final class Exchange {
    final GuestRequest request;
    final String method;
    /** The path as the audit log gets it. */
    final String path;
    final Decision decision;
    final boolean clientKeepAlive;
    final HttpVersion clientVersion;
    final long started = System.nanoTime();
    final long bytesUp;
    long bytesDown;
    boolean responseStarted;
    boolean upstreamKeepAlive = true;
    boolean closeClient;
    boolean interim;
    boolean websocket;
    boolean upgraded;
    /** Watches the response for the credential injected into the request, if one was. */
    ResponseWatch watch;
    /** The credential injected into the request, if one was. */
    Secret injected;
    /** Reads the model's usage from the response of a metered call, if this is one. */
    dev.claudebottle.bundle.spend.UsageMeter meter;
    /** When the metered answer's head came, in {@link System#nanoTime} terms. */
    long meteredSince;
    int status;

    Exchange(GuestRequest request, String method, String path, Decision decision, boolean keepAlive, long bytesUp) {
        this.request = request;
        this.method = method;
        this.path = path;
        this.decision = decision;
        this.clientKeepAlive = keepAlive;
        this.clientVersion = request.http().protocolVersion();
        this.bytesUp = bytesUp;
    }

    /** The same request begun anew under another decision, logged with {@code path}. */
    Exchange decidedAgain(String path, Decision decision) {
        return new Exchange(request, method, path, decision, clientKeepAlive, bytesUp);
    }

    /** Takes in the head of the upstream's response, rewriting its connection headers for the guest. */
    void head(HttpResponse response) {
        upgraded = websocket && WebSocketUpgrade.accepted(response);
        // A 1xx before the final response is passed on; the exchange goes on until the final one ends.
        interim = ResponseFraming.interim(response);
        responseStarted = true;
        status = response.status().code();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response) && !ResponseFraming.closeDelimited(response, method);
        if (!upgraded) {
            closeClient = ResponseFraming.forGuest(response, method, clientVersion, clientKeepAlive);
        }
    }

    /** How long the exchange has been going on, in milliseconds. */
    long millis() {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
