package dev.claudebottle.contract;

import java.util.List;
import java.util.Locale;

/**
 * The forms a route's real value can leak in, for the gateway's watches and the launch's search of
 * the guest alike: the header value as it is, and, when it is an HTTP auth scheme and a credential
 * ({@code Bearer <token>}, {@code Basic <base64>}, {@code Token <token>}; the scheme in any case,
 * one space), the credential alone, for that is how a token sits in an env variable, a file or an
 * echoed answer. A credential shorter than {@link #SHORTEST} is not watched alone: a short word
 * would be found by chance. Holds credentials: it never prints them.
 */
public final class CredentialForms {
    /** The fewest characters a credential behind a scheme has to be watched for on its own. */
    public static final int SHORTEST = 8;

    /** The auth schemes whose value is one credential after the scheme's name. */
    private enum Scheme {
        BEARER, BASIC, TOKEN;

        /** The credential in {@code value} behind this scheme and one space, or null when it is not so written. */
        String credentialIn(String value) {
            String name = name().toLowerCase(Locale.ROOT);
            int after = name.length() + 1;
            boolean written = value.length() > after && value.regionMatches(true, 0, name, 0, name.length())
                    && value.charAt(name.length()) == ' ' && !Character.isWhitespace(value.charAt(after));
            return written ? value.substring(after) : null;
        }
    }

    private CredentialForms() {
    }

    /** The forms of {@code value}: itself first, then the credential behind its scheme, if it has one to watch. */
    public static List<String> of(String value) {
        for (Scheme scheme : Scheme.values()) {
            String credential = scheme.credentialIn(value);
            if (credential != null && credential.length() >= SHORTEST) {
                return List.of(value, credential);
            }
        }
        return List.of(value);
    }
}
