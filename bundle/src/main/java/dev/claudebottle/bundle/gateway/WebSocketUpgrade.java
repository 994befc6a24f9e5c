package dev.claudebottle.bundle.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.util.Optional;

/**
 * A WebSocket handshake through the gateway, and the switch of both connections from HTTP to
 * WebSocket frames once the upstream accepted it. Extensions are not offered upstream, so every
 * frame is plain text or bytes the gateway can scan.
 */
final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    /** Whether the request asks to open a WebSocket. */
    static boolean requested(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Whether the upstream accepted the handshake. */
    static boolean accepted(HttpResponse response) {
        return response.status().code() == 101
                && response.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** The handshake as it goes upstream: only the upgrade itself as its connection option, no extensions. */
    static void prepare(HttpRequest request) {
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        request.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
    }

    /**
     * Replaces HTTP with WebSocket frames on both connections and relays frames between them, the
     * guest's messages whole (up to {@code maxMessageBytes}) so that they are checked whole, the
     * upstream's frame by frame, through {@code watch} when the handshake carried a credential.
     */
    static void switchProtocols(Channel guest, Channel upstream, int maxMessageBytes, WebSocketRelay.Check check,
                                Optional<FrameWatch> watch) {
        WebSocketDecoderConfig fromGuest = WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true)
                .allowExtensions(false).maxFramePayloadLength(maxMessageBytes).build();
        WebSocketDecoderConfig fromUpstream = WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false)
                .allowExtensions(false).maxFramePayloadLength(maxMessageBytes).build();

        // The guest side first: removing the upstream's HTTP codec hands on at once any frame that came
        // with the 101, and the guest connection must take frames by then.
        ChannelPipeline p = guest.pipeline();
        String server = p.context(GuestHttpCodec.class).name();
        p.addAfter(server, "ws-decoder", new WebSocket08FrameDecoder(fromGuest));
        p.addAfter("ws-decoder", "ws-encoder", new WebSocket08FrameEncoder(false));
        p.addAfter("ws-encoder", "ws-aggregator", new WebSocketFrameAggregator(maxMessageBytes));
        p.addLast("ws-relay", new WebSocketRelay(upstream, check));
        p.remove(GuestConnectionHandler.class);
        p.remove(HttpObjectAggregator.class);
        p.remove(server);

        ChannelPipeline up = upstream.pipeline();
        String codec = up.context(HttpClientCodec.class).name();
        up.addAfter(codec, "ws-decoder", new WebSocket08FrameDecoder(fromUpstream));
        up.addAfter("ws-decoder", "ws-encoder", new WebSocket08FrameEncoder(true));
        up.addLast("ws-relay", new WebSocketRelay(guest, WebSocketRelay.Check.NONE));
        // in place before the codec goes: a frame that came with the 101 is watched too
        watch.ifPresent(w -> up.addBefore("ws-relay", "ws-watch", w));
        up.remove(UpstreamPipeline.RELAY);
        up.remove(codec);
    }
}
