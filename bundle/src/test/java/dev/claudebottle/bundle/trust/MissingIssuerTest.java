package dev.claudebottle.bundle.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * What an upstream's chain may do to the explanation of its refusal: the chain and its names are
 * the upstream's, so a name is shown inert and shortened, and chains that name each other in a
 * loop end.
 */
class MissingIssuerTest {
    private final KeyPair caKeys = keys();
    private final KeyPair otherKeys = keys();

    @Test
    void aTrustedCaThatSignedTheChainLeavesTheJdksReason() throws Exception {
        X509Certificate ca = certificate("CN=ca", caKeys, "CN=ca", caKeys);
        X509Certificate leaf = certificate("CN=leaf", otherKeys, "CN=ca", caKeys);

        assertThat(new MissingIssuer(List.of(ca)).explain(new X509Certificate[] {leaf})).isEmpty();
        assertThat(new MissingIssuer(List.of(ca)).explain(new X509Certificate[0])).isEmpty();
        assertThat(new MissingIssuer(List.of(ca)).explain(null)).isEmpty();
    }

    @Test
    void anIssuersNameAsLongAsACertificateAllowsIsShortened() throws Exception {
        String longName = "CN=" + "x".repeat(4000);
        X509Certificate leaf = certificate("CN=leaf", otherKeys, longName, caKeys);

        String why = new MissingIssuer(List.of()).explain(new X509Certificate[] {leaf}).orElseThrow();

        assertThat(why).startsWith("it was issued by \"CN=xxx").contains("x…\", and no trusted CA has that name")
                .hasSizeLessThan(400);
    }

    @Test
    void anIssuersNameThatWouldActOnATerminalIsShownInert() throws Exception {
        X500Name name = new org.bouncycastle.asn1.x500.X500NameBuilder()
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, "corp\u001b[2J\rallowed by a person\u202e").build();
        X509Certificate leaf = certificate("CN=leaf", otherKeys, name, caKeys);

        String why = new MissingIssuer(List.of()).explain(new X509Certificate[] {leaf}).orElseThrow();

        assertThat(why).startsWith("it was issued by \"CN=corp").doesNotContain("\u001b", "\r", "\u202e");
    }

    @Test
    void certificatesThatNameEachOtherAsIssuerEndTheWalk() throws Exception {
        X509Certificate a = certificate("CN=a", caKeys, "CN=b", otherKeys);
        X509Certificate b = certificate("CN=b", otherKeys, "CN=a", caKeys);
        X509Certificate leaf = certificate("CN=leaf", otherKeys, "CN=a", caKeys);

        assertThat(new MissingIssuer(List.of()).explain(new X509Certificate[] {leaf, a, b, a, b}))
                .hasValueSatisfying(why -> assertThat(why).contains("no trusted CA has that name"));
    }

    @Test
    void aTrustedNameWithAnotherKeyIsToldApartFromAnUnknownName() throws Exception {
        X509Certificate trusted = certificate("CN=ca", otherKeys, "CN=ca", otherKeys);
        X509Certificate leaf = certificate("CN=leaf", otherKeys, "CN=ca", caKeys);

        assertThat(new MissingIssuer(List.of(trusted)).explain(new X509Certificate[] {leaf}))
                .hasValue("it was issued by \"CN=ca\", and the trusted CA of that name did not sign it (another key):"
                        + " upstream_ca holds another CA by that name, made again older or newer, than the one the"
                        + " upstream's certificate comes from");
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys)
            throws Exception {
        return certificate(subject, subjectKeys, new X500Name(issuer), issuerKeys);
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys)
            throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.ONE,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject), subjectKeys.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
