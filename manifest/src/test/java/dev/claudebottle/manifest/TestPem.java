package dev.claudebottle.manifest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Collections;

/** A real CA certificate in PEM, from the JDK's own trust store. */
final class TestPem {
    private TestPem() {
    }

    static String ca() throws Exception {
        KeyStore store = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts")
                .toFile(), (char[]) null);
        String alias = Collections.list(store.aliases()).stream().sorted().findFirst().orElseThrow();
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(store.getCertificate(alias).getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}
