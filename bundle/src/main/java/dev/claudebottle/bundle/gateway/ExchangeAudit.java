package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditRecord;
import io.netty.channel.Channel;
import java.time.Instant;

/**
 * The audit lines of one guest connection's exchanges: a request's outcome, a response cut off for
 * what it carried, a WebSocket message refused.
 */
final class ExchangeAudit {
    private final GatewayServices s;
    private final Channel client;

    ExchangeAudit(GatewayServices services, Channel client) {
        this.s = services;
        this.client = client;
    }

    /** What came of the request, under the rule that decided it. */
    void request(Exchange e, String verdict, String reason, int status) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), "request",
                e.method, e.request.host(), e.request.port(), e.path, verdict, e.decision.rule(), reason, status,
                e.bytesUp, e.bytesDown, e.millis()));
    }

    /** The response was cut off for what it carried. */
    void responseCut(Exchange e, String verdict, String reason) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), "request",
                e.method, e.request.host(), e.request.port(), e.path, verdict, "response", reason, e.status,
                e.bytesUp, e.bytesDown, e.millis()));
    }

    /** A message on the WebSocket the exchange opened was refused, or warned of, by {@code rule}. */
    void frame(Exchange e, String rule, String verdict, String reason) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), "websocket",
                e.method, e.request.host(), e.request.port(), e.path, verdict, rule, reason, 1008, 0, 0, 0));
    }
}
