package dev.claudebottle.bundle.gateway;

/**
 * Which exchanges spend the bottle's budget: a Messages API call ({@code POST /v1/messages}) to the
 * Anthropic API that a route injects a credential into, whatever the credential (a key, a setup
 * token, a sign-in). Traffic through tunnels is never read, so never metered.
 */
final class MeteredCall {
    /** The API whose calls are metered. */
    static final String API = "api.anthropic.com";
    private static final String MESSAGES = "/v1/messages";

    private MeteredCall() {
    }

    /** Whether {@code e} is a metered call. */
    static boolean is(Exchange e) {
        String path = e.path.indexOf('?') < 0 ? e.path : e.path.substring(0, e.path.indexOf('?'));
        return e.decision.route().isPresent() && e.request.tls() && e.request.host().equals(API)
                && e.method.equals("POST") && path.equals(MESSAGES);
    }

}
