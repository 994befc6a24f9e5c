package dev.claudebottle.backend.smolmachines;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * The host loopback address a bottle's bundle ports are published on, and the only address its
 * guest may reach. On Linux every address in 127.0.0.0/8 is loopback, so a per-bottle /32 lets the
 * guest reach the bundle and nothing else listening on the host's loopback. Elsewhere only
 * 127.0.0.1 exists, which exposes every loopback service of the host: that comes with a warning.
 *
 * @param address the IPv4 address
 * @param warning what the user must know about it, if anything
 */
record Loopback(String address, Optional<String> warning) {
    /** The address for a bottle on a host running {@code osName}. */
    static Loopback forBottle(String slug, String osName) {
        if (osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return new Loopback(derive(slug), Optional.empty());
        }
        return new Loopback("127.0.0.1", Optional.of("on " + osName + " the guest of bottle " + slug
                + " is allowed 127.0.0.1/32, so it can reach every service listening on this host's loopback, "
                + "not only its bundle"));
    }

    /** {@code 127.a.b.c} derived from the slug; never 127.0.0.0/16 (where 127.0.0.1 and friends live). */
    static String derive(String slug) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(slug.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        int a = 1 + (digest[0] & 0xff) % 254;
        int b = digest[1] & 0xff;
        int c = 1 + (digest[2] & 0xff) % 254;
        return "127." + a + "." + b + "." + c;
    }
}
