package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The {@code record} section of a bottle: where its record is also sent,
 * {@code record: {otlp_endpoint: http://collector.test:4318}} (an OTLP/HTTP receiver the bundle
 * reaches from its egress side). The host's {@code CLAUDE_BOTTLE_OTLP_ENDPOINT} is used for bottles
 * that do not say.
 */
@Extension
public final class RecordSection implements ManifestSection<RecordSection.Def> {
    /** The section's key. */
    public static final String KEY = "record";

    /**
     * What the section says.
     *
     * @param otlpEndpoint the OTLP/HTTP receiver, if any
     */
    public record Def(Optional<URI> otlpEndpoint) {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Class<Def> type() {
        return Def.class;
    }

    @Override
    public Optional<Def> read(SectionNode node) {
        return node.fields("otlp_endpoint").map(f -> new Def(f.get("otlp_endpoint").flatMap(n -> n.string()
                .flatMap(v -> endpoint(n, v)))));
    }

    private static Optional<URI> endpoint(SectionNode node, String value) {
        Optional<URI> uri = checked(value);
        if (uri.isEmpty()) {
            // credentials in the URL would end up in logs: the value is not repeated
            node.problem("expected an http:// or https:// URL of an OTLP/HTTP receiver without credentials, like "
                    + "http://collector.test:4318");
        }
        return uri;
    }

    /** The receiver's URL, when it is one: http or https, a host, no user or password in it. */
    static Optional<URI> checked(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null && uri.getUserInfo() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URL
        }
        return Optional.empty();
    }
}
