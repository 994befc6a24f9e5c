package dev.claudebottle.bundle.gateway;

import io.netty.channel.Channel;
import java.util.Optional;

/**
 * A WebSocket the upstream accepted, handed over from the forwarder to frames: the guest's messages
 * meet the tripwire and DLP, the upstream's are watched for the credential the handshake carried,
 * and both connections read again.
 */
final class WebSocketHandover {
    private WebSocketHandover() {
    }

    /** Switches {@code client} and {@code upstream}, whose handshake was exchange {@code e}, to frames. */
    static void open(GatewayServices s, ExchangeAudit audit, Exchange e, Channel client, Channel upstream) {
        CompiledPolicy policy = s.policy().get();
        String host = e.request.host();
        // the upstream's frames are watched for the credential the handshake carried, as a response is
        Optional<FrameWatch> watch = Optional.ofNullable(e.injected).map(v -> new FrameWatch(new ResponseWatch(v.reveal()),
                () -> {
                    String reason = "a message from " + host + " carried the credential injected into the handshake;"
                            + " cut off";
                    Decision alert = Decision.alert("response", reason);
                    audit.frame(e, alert.rule(), alert.verdict(), reason);
                    WebSocketRelay.refuse(client, upstream,
                            "the upstream sent the credential injected into the handshake");
                }));
        WebSocketUpgrade.switchProtocols(client, upstream, s.config().maxBodyBytes(),
                guestMessages(policy, host, audit, e), watch);
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
    }

    /** The check of each of the guest's messages: the tripwire, then DLP, each refusal logged. */
    private static WebSocketRelay.Check guestMessages(CompiledPolicy policy, String host, ExchangeAudit audit,
                                                      Exchange e) {
        return text -> {
            Optional<Decision> refused = policy.tripwire().check(text, host).map(t -> Decision.alert("tripwire", t));
            Optional<String> found = refused.isPresent() ? Optional.empty() : policy.scanner().scan(text);
            if (found.isPresent()) {
                Decision dlp = Decision.deny(Refusal.DLP, "dlp " + found.get(),
                        "DLP pattern " + found.get() + " in a message");
                if (policy.dlpBlocks()) {
                    refused = Optional.of(dlp);
                } else {
                    audit.frame(e, dlp.rule(), "warn", dlp.reason());
                }
            }
            refused.ifPresent(d -> audit.frame(e, d.rule(), d.verdict(), d.reason()));
            return refused.map(Decision::reason);
        };
    }
}
