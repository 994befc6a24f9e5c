package dev.claudebottle.provision.supervise;

import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import java.util.Optional;
import org.pf4j.Extension;

/** The {@code supervise} section of a bottle: {@code supervise: {timeout: 10m}}, or {@code supervise: {}}. */
@Extension
public final class SuperviseSection implements ManifestSection<SuperviseDef> {
    /** The section's key. */
    public static final String KEY = "supervise";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Class<SuperviseDef> type() {
        return SuperviseDef.class;
    }

    @Override
    public Optional<SuperviseDef> read(SectionNode node) {
        return node.fields("timeout").map(f -> new SuperviseDef(f.get("timeout").flatMap(SectionNode::duration)
                .orElse(SuperviseDef.DEFAULT_TIMEOUT)));
    }
}
