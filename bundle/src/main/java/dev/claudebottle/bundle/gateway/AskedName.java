package dev.claudebottle.bundle.gateway;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
    /** What an IPv4 literal may look like to the JDK: one to four dotted numbers ({@code 10.1} is {@code 10.0.0.1}). */
    private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){0,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");

    private AskedName() {
    }

    /**
     * The one spelling of {@code host}: lower case, without trailing dots, international names in
     * their ASCII form, address literals as the address they name. {@code Registry.Test.},
     * {@code registry.test} and {@code registry.test..} are one host, and so are {@code 10.1},
     * {@code 10.0.0.1} and {@code ::ffff:10.0.0.1}.
     */
    static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (literal(h)) {
            return address(h).map(InetAddress::getHostAddress).orElse(h);
        }
        try {
            return IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return h;
        }
    }

    /**
     * The address a literal names, parsed and never looked up: one to four dotted decimal numbers
     * as the JDK reads them ({@code 10.1} is {@code 10.0.0.1}), or an IPv6 literal (an IPv4-mapped
     * one reads as IPv4). Empty for anything else, which the JDK would hand to the resolver.
     */
    static Optional<InetAddress> address(String literal) {
        try {
            if (IPV6.matcher(literal).matches()) {
                return Optional.of(InetAddress.getByName(literal)); // a text with ':' is never looked up
            }
            if (!IPV4.matcher(literal).matches()) {
                return Optional.empty();
            }
            String[] parts = literal.split("\\.");
            long[] values = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].length() > 10) {
                    return Optional.empty();
                }
                values[i] = Long.parseLong(parts[i]);
            }
            // the last part fills the bytes the parts before it left
            long last = values[parts.length - 1];
            if (last >= 1L << (8 * (5 - parts.length))) {
                return Optional.empty();
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < parts.length - 1; i++) {
                if (values[i] > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) values[i];
            }
            for (int i = 3; i >= parts.length - 1; i--) {
                bytes[i] = (byte) last;
                last >>= 8;
            }
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code host} reads as an address literal, which needs no lookup. */
    static boolean literal(String host) {
        return IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
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
