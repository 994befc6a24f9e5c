package dev.claudebottle.manifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a PEM file of CA certificates: how many it holds, or that it holds something else. */
final class PemCertificates {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private PemCertificates() {
    }

    /**
     * The number of certificates in a PEM file; -1 when it holds a block that is not a certificate
     * (a key, say) or a certificate that does not parse, or cannot be read. Text between the blocks,
     * as bundles carry, is allowed.
     */
    static int count(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return -1;
        }
        int count = 0;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                return -1;
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            } catch (IllegalArgumentException | CertificateException e) {
                return -1;
            }
            count++;
        }
        return count;
    }
}
