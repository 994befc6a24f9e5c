package dev.claudebottle.contract;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates in PEM text, read leniently in layout and strictly in content, and written in the
 * one layout every reader takes. The JDK's PEM reader (the bundle's) refuses a file whose END line
 * runs into the next BEGIN, as a certificate saved without a final line break and joined with
 * another by {@code cat} does; the manifest's check must not accept what the bundle cannot load,
 * so the host checks with this reader and hands the bundle and the guest only what it wrote.
 */
public final class PemCertificates {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private PemCertificates() {
    }

    /**
     * The DER encoding of every certificate in {@code text}, in order; text between blocks (as
     * bundles carry) is skipped.
     *
     * @throws IllegalArgumentException naming the block that is not a certificate (a key, say) or
     *                                  a certificate that does not parse
     */
    public static List<byte[]> read(String text) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            int number = out.size() + 1;
            if (!m.group(1).equals("CERTIFICATE")) {
                throw new IllegalArgumentException("block " + number + " is a " + m.group(1) + ", not a CERTIFICATE");
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
                out.add(der);
            } catch (IllegalArgumentException | CertificateException e) {
                throw new IllegalArgumentException("certificate " + number + " does not parse: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Each certificate in its own block, 64 characters a line, every line ended by a line break. */
    public static String write(List<byte[]> ders) {
        StringBuilder out = new StringBuilder();
        for (byte[] der : ders) {
            out.append("-----BEGIN CERTIFICATE-----\n").append(LINES.encodeToString(der))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }
}
