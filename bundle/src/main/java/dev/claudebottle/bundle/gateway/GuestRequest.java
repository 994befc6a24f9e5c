package dev.claudebottle.bundle.gateway;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A request of a guest connection, waiting its turn or in flight, and where it goes: the host and
 * port the gateway decides on, and whether it came inside an intercepted TLS tunnel to them. The
 * request is held until it is sent upstream or released.
 *
 * @param http the request as the guest sent it
 * @param host the host it goes to
 * @param port the port it goes to
 * @param tls  whether it came decrypted from a tunnel, and so goes upstream over TLS
 */
record GuestRequest(FullHttpRequest http, String host, int port, boolean tls) {
    /** The upstream it goes to, as an upstream connection kept open is known by. */
    String origin() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
