package dev.claudebottle.provision.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void mintsAnEcdsaP256CaThatSignsLeavesOnly() throws Exception {
        new CertificateAuthority().mint("coder-3f2a", dir);

        X509Certificate cert;
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(cert.getSubjectX500Principal().getName()).contains("claude-bottle coder-3f2a CA");
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(cert.getBasicConstraints()).isEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        cert.verify(cert.getPublicKey());
        cert.checkValidity();
    }

    @Test
    void keyFileIsOwnerOnlyAndMatchesTheCertificate() throws Exception {
        X509Certificate cert = new CertificateAuthority().mint("coder-3f2a", dir);
        Path key = dir.resolve("ca.key");
        assertThat(Files.getPosixFilePermissions(key))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String pem = Files.readString(key);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void everyBottleGetsItsOwnKey() throws Exception {
        X509Certificate a = new CertificateAuthority().mint("a-0001", dir.resolve("a"));
        X509Certificate b = new CertificateAuthority().mint("b-0002", dir.resolve("b"));
        assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    }
}
