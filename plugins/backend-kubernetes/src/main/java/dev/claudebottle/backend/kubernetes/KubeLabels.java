package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.LaunchSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The labels every object of a bottle carries, so stop and gc find them: the slug, the object's role,
 * and the state home that launched it. A label value holds no path, so the home is labelled by a
 * digest of its path and named in full by an annotation.
 */
final class KubeLabels {
    /** The bottle an object belongs to. */
    static final String SLUG = "claude-bottle.slug";
    /** What the object is to its bottle: guest, bundle, files, policy. */
    static final String ROLE = "claude-bottle.role";
    /** A digest of the state home ({@code CLAUDE_BOTTLE_HOME}) that launched the bottle. */
    static final String HOME = "claude-bottle.home";
    /** The state home's path, in full, as an annotation. */
    static final String HOME_PATH = "claude-bottle.home-path";

    private KubeLabels() {
    }

    /** The labels of an object of {@code role} of bottle {@code slug} launched from {@code home}. */
    static Map<String, String> of(String slug, String role, Path home) {
        return Map.of(SLUG, slug, ROLE, role, HOME, home(home));
    }

    /** The same for a launch: its state dir is {@code HOME/bottles/SLUG}. */
    static Map<String, String> of(LaunchSpec spec, String role) {
        return of(spec.slug(), role, home(spec));
    }

    /** The state home of a launch. */
    static Path home(LaunchSpec spec) {
        return spec.stateDir().toAbsolutePath().getParent().getParent();
    }

    /** The annotation naming the home in full. */
    static Map<String, String> annotations(Path home) {
        return Map.of(HOME_PATH, home.toAbsolutePath().normalize().toString());
    }

    /** The label value of a home: 40 hex digits of the SHA-256 of its normalised absolute path. */
    static String home(Path home) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(home.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
