package dev.claudebottle.bundle.gateway;

import java.util.Locale;

/**
 * Which exchanges spend the bottle's budget: every call but a read ({@code GET}, {@code HEAD},
 * {@code OPTIONS}) to the Anthropic API that a route injects a credential into, whatever the credential (a key, a setup token, a sign-in) and however
 * its path is spelt, but the one known to cost nothing (counting tokens). Each is refused once the
 * budget is spent, and the usage its answer reports is metered. Message batches cost what their
 * requests do, later, where no answer reports it: a bottle with a budget cannot make them. Traffic
 * through tunnels is never read, so never metered.
 */
final class MeteredCall {
    /** The API whose calls are metered. */
    static final String API = "api.anthropic.com";
    /** The Messages API's own path: a call there that reports no usage is worth a line in the record. */
    static final String MESSAGES = "/v1/messages";
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private MeteredCall() {
    }

    /** Whether {@code e} spends the budget: refused once it is spent, its answer's usage metered. */
    static boolean spends(Exchange e) {
        String method = e.method.toUpperCase(Locale.ROOT);
        return e.decision.route().isPresent() && e.request.tls() && api(e.request.host()) && !method.equals("GET")
                && !method.equals("HEAD") && !method.equals("OPTIONS") && !path(e).equals(COUNT_TOKENS);
    }

    /** Whether {@code e} is the Messages API's own call, spelt as the API spells it. */
    static boolean messages(Exchange e) {
        return spends(e) && path(e).equals(MESSAGES);
    }

    /** Whether {@code e} would make a message batch, however its path is spelt: nothing meters what it costs. */
    static boolean batch(Exchange e) {
        return spends(e) && path(e).toLowerCase(Locale.ROOT).contains("batches");
    }

    /** Whether {@code host} is the API, written with a trailing dot or in capitals as well. */
    private static boolean api(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals(API);
    }

    private static String path(Exchange e) {
        int query = e.path.indexOf('?');
        return query < 0 ? e.path : e.path.substring(0, query);
    }
}
