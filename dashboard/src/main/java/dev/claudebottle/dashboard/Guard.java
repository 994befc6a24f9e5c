package dev.claudebottle.dashboard;

import java.util.List;
import java.util.Optional;

/**
 * What the dashboard lets through, decided from a request's parts alone: only requests to its own
 * loopback address and port by name ({@code Host}, against DNS rebinding), carrying the session
 * cookie (or, once, the token in the URL the person was given), and for a change, a POST from the
 * page's own origin with its CSRF token.
 */
final class Guard {
    /** The cookie that holds the session token. */
    static final String COOKIE = "bottle_dashboard";
    /** The header the page sends its CSRF token in. */
    static final String CSRF_HEADER = "X-Bottle-CSRF";
    private final String authority;
    private final Tokens tokens;

    /** Guards the dashboard at {@code host}:{@code port}. */
    Guard(String host, int port, Tokens tokens) {
        this.authority = host + ":" + port;
        this.tokens = tokens;
    }

    /** What a request gets. */
    enum Verdict {
        /** It goes on. */
        PASS,
        /** The URL's token is right: the cookie is set and the person sent on to the page without it. */
        SIGN_IN,
        /** Not addressed to the dashboard by its own name and port. */
        WRONG_HOST,
        /** Neither the cookie nor the URL carries the session token. */
        NO_SESSION,
        /** A change from another origin, or with no origin. */
        WRONG_ORIGIN,
        /** A change without the page's CSRF token. */
        NO_CSRF,
        /** A change by any method but POST. */
        WRONG_METHOD
    }

    /**
     * The verdict on one request.
     *
     * @param method  its method
     * @param hosts   every Host header it carries
     * @param cookie  the session cookie's value, if sent
     * @param token   the {@code token} query parameter, if any
     * @param origin  its Origin header, if any
     * @param csrf    its CSRF header, if any
     * @param page    whether it asks for the page itself, the only address the URL's token opens
     * @param changes whether it asks for a change
     */
    Verdict judge(String method, List<String> hosts, Optional<String> cookie, Optional<String> token,
                  Optional<String> origin, Optional<String> csrf, boolean page, boolean changes) {
        if (hosts.size() != 1 || !hosts.get(0).equals(authority)) {
            return Verdict.WRONG_HOST;
        }
        boolean session = Tokens.same(cookie.orElse(null), tokens.session());
        if (!session) {
            return method.equals("GET") && page && Tokens.same(token.orElse(null), tokens.session())
                    ? Verdict.SIGN_IN : Verdict.NO_SESSION;
        }
        if (!changes) {
            return method.equals("GET") || method.equals("HEAD") ? Verdict.PASS : Verdict.WRONG_METHOD;
        }
        if (!method.equals("POST")) {
            return Verdict.WRONG_METHOD;
        }
        if (!origin.equals(Optional.of("http://" + authority))) {
            return Verdict.WRONG_ORIGIN;
        }
        return Tokens.same(csrf.orElse(null), tokens.csrf()) ? Verdict.PASS : Verdict.NO_CSRF;
    }
}
