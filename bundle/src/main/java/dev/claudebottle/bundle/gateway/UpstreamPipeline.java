package dev.claudebottle.bundle.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The handlers of a connection to an upstream that requests are forwarded over: TLS verifying the
 * host's name when the request came inside a tunnel, the HTTP client codec, and the relay that
 * hands the response to the guest connection's forwarder.
 */
final class UpstreamPipeline {
    /** The name of the upstream connection's handler that hands responses to the forwarder. */
    static final String RELAY = "relay";

    private UpstreamPipeline() {
    }

    /** Sets up {@code ch} for {@code p}'s requests, their responses going to {@code relay}. */
    static void build(Channel ch, GatewayServices s, GuestRequest p, ChannelHandler relay) {
        if (p.tls()) {
            SSLEngine engine = s.upstreamTls().newEngine(ch.alloc(), p.host(), p.port());
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
            ch.pipeline().addLast("tls", new SslHandler(engine));
        }
        ch.pipeline().addLast("codec", new HttpClientCodec(8192, 64 * 1024, 64 * 1024));
        ch.pipeline().addLast(RELAY, relay);
    }
}
