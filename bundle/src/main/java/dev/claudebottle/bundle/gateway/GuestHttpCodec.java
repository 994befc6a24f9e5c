package dev.claudebottle.bundle.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * HTTP/1.1 on a guest connection. Requests must say where their body ends in exactly one way: no
 * body, one {@code Content-Length}, or one {@code Transfer-Encoding: chunked} alone. Anything
 * else — another coding, a list, two headers, chunked beside a length — is a request two readers
 * could split differently, so it fails to decode, and the decoder discards everything after it on
 * that connection. Responses to {@code HEAD} are known to have no body, as in Netty's server codec.
 */
final class GuestHttpCodec extends CombinedChannelDuplexHandler<GuestHttpCodec.Decoder, GuestHttpCodec.Encoder> {
    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    /** Why a request's framing was refused. */
    static final class AmbiguousFraming extends IllegalArgumentException {
        AmbiguousFraming(String message) {
            super(message);
        }
    }

    GuestHttpCodec(int maxHeaderBytes) {
        init(new Decoder(new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024)), new Encoder());
    }

    final class Decoder extends HttpRequestDecoder {
        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            List<String> codings = msg.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (!codings.isEmpty()) {
                if (codings.size() > 1 || !codings.get(0).strip().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())) {
                    throw new AmbiguousFraming("Transfer-Encoding must be a single 'chunked', not "
                            + String.join(", ", codings));
                }
                if (msg.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    throw new AmbiguousFraming("Transfer-Encoding and Content-Length together");
                }
            }
            return super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    methods.add(request.method());
                }
            }
        }
    }

    final class Encoder extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            // An interim response precedes the final one to the same request.
            if (msg.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL
                    && msg.status().code() != 101) {
                return true;
            }
            return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
        }
    }
}
