package dev.claudebottle.backend.smolmachines;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The per-bottle loopback address the bundle's ports are published on. On Linux every address in
 * 127.0.0.0/8 is loopback, so allowing only this /32 lets the guest reach the bundle and nothing
 * else listening on the host's loopback.
 */
final class LoopbackAddress {
    private LoopbackAddress() {
    }

    /** {@code 127.a.b.c} derived from the slug; never 127.0.0.0/16 (where 127.0.0.1 and friends live). */
    static String forSlug(String slug) {
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
