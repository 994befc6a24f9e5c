package dev.claudebottle.dashboard;

import java.util.List;
import java.util.Optional;

/**
 * What the dashboard lets through, decided from a request's parts alone: only requests to its own
 * loopback address and port by name ({@code Host}, against DNS rebinding); for its data, the
 * session token in an {@code Authorization} header; for a change, a POST from the page's own
 * origin with its CSRF token as well. The token is never in a cookie: a browser sends a cookie for
 * 127.0.0.1 to every port there, so any other local service would get it. The page keeps it in its
 * tab's session storage, which no other port can read, and a page of another origin cannot send
 * the header without a CORS preflight the dashboard never grants.
 */
final class Guard {
    /** The header the page sends its CSRF token in. */
    static final String CSRF_HEADER = "X-Bottle-CSRF";
    private static final String BEARER = "Bearer ";
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
        /** Not addressed to the dashboard by its own name and port. */
        WRONG_HOST,
        /** Data or a change without the session token. */
        NO_SESSION,
        /** A change from another origin, or with no origin. */
        WRONG_ORIGIN,
        /** A change without the page's CSRF token. */
        NO_CSRF,
        /** A method the address does not take. */
        WRONG_METHOD
    }

    /**
     * The verdict on one request.
     *
     * @param method        its method
     * @param hosts         every Host header it carries
     * @param authorization its Authorization header, if any
     * @param origin        its Origin header, if any
     * @param csrf          its CSRF header, if any
     * @param data          whether it asks for data or a change (under {@code /api/}), not the page's files
     * @param changes       whether it asks for a change
     */
    Verdict judge(String method, List<String> hosts, Optional<String> authorization, Optional<String> origin,
                  Optional<String> csrf, boolean data, boolean changes) {
        if (hosts.size() != 1 || !hosts.get(0).equals(authority)) {
            return Verdict.WRONG_HOST;
        }
        if (!data) {
            // the page's own files: the same for everyone, and nothing in them is a secret
            return method.equals("GET") || method.equals("HEAD") ? Verdict.PASS : Verdict.WRONG_METHOD;
        }
        String bearer = authorization.filter(a -> a.startsWith(BEARER)).map(a -> a.substring(BEARER.length()))
                .orElse(null);
        if (!Tokens.same(bearer, tokens.session())) {
            return Verdict.NO_SESSION;
        }
        if (!changes) {
            return method.equals("GET") ? Verdict.PASS : Verdict.WRONG_METHOD;
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
