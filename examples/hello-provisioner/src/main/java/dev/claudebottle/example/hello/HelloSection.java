package dev.claudebottle.example.hello;

import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * An example third-party manifest section: {@code hello: {greeting: "..."}} under a bottle. The
 * kernel reports its problems with the rest of the manifest's, at their line and column.
 */
@Extension
public final class HelloSection implements ManifestSection<HelloSection.Greeting> {
    /** The section's key. */
    public static final String KEY = "hello";

    /**
     * What the section holds.
     *
     * @param text the greeting
     */
    public record Greeting(String text) {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Class<Greeting> type() {
        return Greeting.class;
    }

    @Override
    public Optional<Greeting> read(SectionNode node) {
        return node.fields("greeting").flatMap(f -> f.require("greeting")).flatMap(SectionNode::string)
                .map(Greeting::new);
    }
}
