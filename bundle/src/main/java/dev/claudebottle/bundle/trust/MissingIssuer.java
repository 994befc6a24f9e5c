package dev.claudebottle.bundle.trust;

import dev.claudebottle.spi.command.InertText;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Why an upstream's chain did not reach a trust anchor, in words a person can act on. The JDK
 * says "Path does not chain with any of the trust anchors" when a CA of the issuer's name is
 * trusted but it is not the certificate that signed the chain (another key: a CA made again under
 * the same name), and "unable to find valid certification path" when none of that name is; neither
 * names the CA. This names it, and says which of the two it is.
 */
final class MissingIssuer {
    private static final int NAME_CHARS = 200;

    private final Map<X500Principal, List<X509Certificate>> anchorsByName = new HashMap<>();

    MissingIssuer(Collection<X509Certificate> anchors) {
        for (X509Certificate anchor : anchors) {
            anchorsByName.computeIfAbsent(anchor.getSubjectX500Principal(), k -> new ArrayList<>()).add(anchor);
        }
    }

    /**
     * What keeps {@code chain} (the upstream's, its own certificate first) from a trust anchor,
     * when it is its CA; empty when a trusted CA signed it and the refusal has another cause
     * (expiry, the host name, a constraint), which the JDK's own message says.
     */
    Optional<String> explain(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        X509Certificate top = top(chain);
        X500Principal issuer = top.getIssuerX500Principal();
        List<X509Certificate> named = anchorsByName.getOrDefault(issuer, List.of());
        if (named.isEmpty()) {
            if (issuer.equals(top.getSubjectX500Principal()) && chain.length > 1) {
                return Optional.of("its chain ends in the CA \"" + shown(issuer)
                        + "\", which is not trusted: add that CA's certificate to upstream_ca");
            }
            return Optional.of("it was issued by \"" + shown(issuer)
                    + "\", and no trusted CA has that name: add that CA's certificate to upstream_ca");
        }
        for (X509Certificate anchor : named) {
            if (signs(anchor, top)) {
                return Optional.empty();
            }
        }
        return Optional.of("it was issued by \"" + shown(issuer) + "\", and the trusted "
                + (named.size() == 1 ? "CA" : named.size() + " CAs") + " of that name did not sign it (another"
                + " key): upstream_ca holds another CA by that name, made again older or newer, than the one"
                + " the upstream's certificate comes from");
    }

    /** The highest certificate of the chain that links to the upstream's own by issuer name. */
    private static X509Certificate top(X509Certificate[] chain) {
        X509Certificate top = chain[0];
        for (int hops = 1; hops < chain.length; hops++) {
            X509Certificate next = null;
            for (X509Certificate c : chain) {
                if (c != top && c.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                    next = c;
                    break;
                }
            }
            if (next == null || isSelfIssued(top)) {
                break;
            }
            top = next;
        }
        return top;
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    private static boolean signs(X509Certificate anchor, X509Certificate cert) {
        try {
            cert.verify(anchor.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The name as text, inert and shortened: it comes from the upstream, and a person reads it. */
    private static String shown(X500Principal name) {
        String text = InertText.of(name.getName(X500Principal.RFC2253));
        return text.length() <= NAME_CHARS ? text : text.substring(0, NAME_CHARS) + "…";
    }
}
