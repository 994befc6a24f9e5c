package dev.claudebottle.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * One dashboard run's secrets: the session token, which the printed URL's fragment carries and the
 * page sends as a header, and the CSRF token, which the page sends with every change. Both are
 * random per run.
 *
 * @param session the session token
 * @param csrf    the CSRF token
 */
record Tokens(String session, String csrf) {
    private static final SecureRandom RANDOM = new SecureRandom();

    Tokens {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(csrf, "csrf");
    }

    /** Two fresh tokens of 256 random bits each. */
    static Tokens random() {
        return new Tokens(token(), token());
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code given} is {@code expected}, compared in constant time; a missing one never is. */
    static boolean same(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** Never the tokens themselves. */
    @Override
    public String toString() {
        return "Tokens[***]";
    }
}
