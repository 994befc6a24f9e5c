package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CA files as people make them, read whole, and written so the JDK's own reader loads every certificate. */
class PemCertificatesTest {
    @TempDir
    Path dir;

    /** Three real CA certificates: the JDK's own trust store has them. */
    private static List<byte[]> cas() throws Exception {
        KeyStore store = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts")
                .toFile(), (char[]) null);
        List<byte[]> out = new ArrayList<>();
        for (String alias : Collections.list(store.aliases()).stream().sorted().limit(3).toList()) {
            out.add(store.getCertificate(alias).getEncoded());
        }
        return out;
    }

    private static String pem(byte[] der, String lineBreak, boolean finalBreak) {
        String body = Base64.getMimeEncoder(64, lineBreak.getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN CERTIFICATE-----" + lineBreak + body + lineBreak + "-----END CERTIFICATE-----"
                + (finalBreak ? lineBreak : "");
    }

    private static int jdkCount(byte[] bytes) throws Exception {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).size();
        }
    }

    @Test
    void certificatesThatRunIntoEachOtherAreReadWholeAndWrittenSoTheJdkLoadsThemAll() throws Exception {
        List<byte[]> cas = cas();
        // saved without a final line break, then joined by cat: END runs into BEGIN on one line
        String joined = pem(cas.get(0), "\n", false) + pem(cas.get(1), "\r\n", false) + "\n# a comment line\n"
                + pem(cas.get(2), "\n", true);
        assertThatThrownBy(() -> jdkCount(joined.getBytes(StandardCharsets.US_ASCII)))
                .as("the JDK's reader refuses the joined file").hasMessageContaining("Header and footer do not match");

        List<byte[]> read = PemCertificates.read(joined);

        assertThat(read).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(read.get(i)).isEqualTo(cas.get(i));
        }
        assertThat(jdkCount(PemCertificates.write(read).getBytes(StandardCharsets.US_ASCII))).isEqualTo(3);
    }

    @Test
    void aBundleOfHostFilesHoldsEveryCertificateInCanonicalForm() throws Exception {
        List<byte[]> cas = cas();
        Path first = Files.writeString(dir.resolve("first.crt"), pem(cas.get(0), "\n", false) + pem(cas.get(1), "\n",
                false));
        Path second = Files.writeString(dir.resolve("second.crt"), pem(cas.get(2), "\n", false));

        byte[] bundle = HostCas.bundle(List.of(first, second));

        assertThat(jdkCount(bundle)).isEqualTo(3);
        assertThat(new String(bundle, StandardCharsets.US_ASCII)).endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void aBlockThatIsNotACertificateOrDoesNotParseIsNamed() throws Exception {
        String good = pem(cas().get(0), "\n", true);
        assertThatThrownBy(() -> PemCertificates.read(good + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("block 2 is a PRIVATE KEY, not a CERTIFICATE");
        assertThatThrownBy(() -> PemCertificates.read("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
                + "-----END CERTIFICATE-----\n")).hasMessageStartingWith("certificate 1 does not parse");
        assertThat(PemCertificates.read("no certificate here")).isEmpty();
        Path key = Files.writeString(dir.resolve("key.crt"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> HostCas.bundle(List.of(key))).isInstanceOf(IOException.class)
                .hasMessageContaining("key.crt: block 1 is a PRIVATE KEY");
        assertThatCode(() -> HostCas.bundle(List.of())).doesNotThrowAnyException();
    }
}
