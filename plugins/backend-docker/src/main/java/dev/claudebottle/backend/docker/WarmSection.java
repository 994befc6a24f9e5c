package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The {@code warm} key of a bottle: how many copies of it {@code bottle warm fill} keeps started and
 * verified, with no credential, for {@code bottle run} and {@code bottle start} to claim. The Docker
 * backend gives a claimed bottle its values late ({@link DockerBackend#bind}).
 */
@Extension
public final class WarmSection implements ManifestSection<Integer> {
    /** The key under a bottle. */
    public static final String KEY = "warm";
    /** The most warm copies of one bottle: each is a guest and a bundle left running. */
    public static final int MAX = 16;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Class<Integer> type() {
        return Integer.class;
    }

    @Override
    public Optional<Integer> read(SectionNode node) {
        return node.integer(0, MAX);
    }
}
