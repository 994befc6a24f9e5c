package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditRecord;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;

/** Requests decrypted inside an intercepted tunnel: every one goes through the forwarder's checks. */
final class InterceptHandler extends GuestConnectionHandler {
    private final String host;
    private final int port;

    InterceptHandler(GatewayServices services, String host, int port) {
        super(services);
        this.host = host;
        this.port = port;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (req.decoderResult().isFailure()) {
            String reason = Responses.malformed(req.decoderResult().cause());
            req.release();
            s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(ctx.channel()),
                    "request", "?", host, port, "", "deny", "protocol", reason, 400, 0, 0, 0));
            Responses.send(ctx.channel(), HttpResponseStatus.BAD_REQUEST, reason, true);
            return;
        }
        forwarder.submit(req, host, port, true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
