package dev.claudebottle.bundle.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * The response to a request that carried a route's credential, part by part through the watch
 * for it ({@link ResponseWatch}): what could begin the credential is held back until the next part
 * shows it does not, and a response that carries it, in its head, body or trailers, or that comes
 * in a coding the watch cannot read ({@link UnreadableCoding}), is cut off.
 */
final class WatchedResponse {
    /** What comes of one part of the response. */
    sealed interface Outcome permits Pass, Cut {
    }

    /** The part to pass on to the guest: the one given, or one in its place. */
    record Pass(Object part) implements Outcome {
    }

    /** The response is to be cut off, for {@code reason}, logged with {@code verdict}; the part was released. */
    record Cut(String verdict, String reason) implements Outcome {
    }

    private WatchedResponse() {
    }

    /** What comes of {@code msg}, a part of {@code host}'s response, which this takes over. */
    static Outcome next(ResponseWatch watch, String host, Object msg) {
        Optional<String> unreadable = msg instanceof HttpResponse response ? UnreadableCoding.refusal(host, response)
                : Optional.empty();
        if (unreadable.isPresent()) {
            ReferenceCountUtil.release(msg);
            return new Cut("deny", unreadable.get());
        }
        boolean carried = msg instanceof HttpResponse response && watch.seenIn(RequestText.headers(response.headers()));
        Object pass = msg;
        if (!carried && msg instanceof HttpContent content) {
            byte[] part = ByteBufUtil.getBytes(content.content());
            byte[] now = watch.next(part);
            if (now == null || (msg instanceof LastHttpContent last
                    && watch.seenIn(RequestText.headers(last.trailingHeaders())))) {
                carried = true;
            } else if (msg instanceof LastHttpContent last) {
                byte[] rest = watch.rest();
                pass = new DefaultLastHttpContent(Unpooled.wrappedBuffer(now, rest));
                ((LastHttpContent) pass).trailingHeaders().set(last.trailingHeaders());
            } else {
                pass = new DefaultHttpContent(Unpooled.wrappedBuffer(now));
            }
        }
        if (pass != msg || carried) {
            ReferenceCountUtil.release(msg);
        }
        if (!carried) {
            return new Pass(pass);
        }
        return new Cut("alert", "the response from " + host + " carried the credential injected into the request;"
                + " cut off");
    }
}
