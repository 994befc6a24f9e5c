package dev.claudebottle.bundle.gateway;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names the gateway may look up before a person answers, and the one spelling a name's
 * question, grant and refusal are kept under. A lookup of a name no rule covers leaves the bundle
 * for the resolver before anyone is asked, so only a name a person could plausibly approve is
 * looked up: a service's name, not a name built to carry data (decision 0014).
 */
final class AskedName {
    /** Labels below the domain (the last two labels) a plausible name has at most. */
    static final int MOST_SUBDOMAIN_LABELS = 3;
    /** The longest label below the domain. */
    static final int LONGEST_LABEL = 20;
    /** The longest whole name. */
    static final int LONGEST_NAME = 80;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{5,}");
    private static final Pattern HEX_RUN = Pattern.compile("[0-9a-f]{8,}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");

    private AskedName() {
    }

    /**
     * The one spelling of {@code host}: lower case, without trailing dots, international names in
     * their ASCII form. {@code Registry.Test.}, {@code registry.test} and {@code registry.test..}
     * are one host.
     */
    static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.contains(":")) {
            return h;
        }
        try {
            return IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return h;
        }
    }

    /** Whether {@code host} is an address literal, which needs no lookup. */
    static boolean literal(String host) {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    /** Why a canonical name is not looked up before a person answers, if it is not. */
    static Optional<String> implausible(String name) {
        if (literal(name)) {
            return Optional.empty();
        }
        if (name.length() > LONGEST_NAME) {
            return Optional.of("a name of " + name.length() + " characters");
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("a name without a domain");
        }
        if (labels.length - 2 > MOST_SUBDOMAIN_LABELS) {
            return Optional.of("a name of " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (!LABEL.matcher(label).matches() || label.length() > 63) {
                return Optional.of("a label that is not a host name's");
            }
            if (i < labels.length - 2 && label.length() > LONGEST_LABEL) {
                return Optional.of("a label of " + label.length() + " characters");
            }
            if (DIGIT_RUN.matcher(label).find() || HEX_RUN.matcher(label).find()) {
                return Optional.of("a label that reads as encoded data");
            }
        }
        return ExfilShapes.inHost(name);
    }
}
