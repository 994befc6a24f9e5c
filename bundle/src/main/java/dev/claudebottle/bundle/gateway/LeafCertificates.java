package dev.claudebottle.bundle.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints, on demand, the leaf certificates the gateway presents when it intercepts a host, signed
 * by the bottle's CA, and caches a server TLS context per host. One leaf key pair serves every
 * host: minting stays cheap and the key never leaves the bundle.
 */
public final class LeafCertificates {
    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";
    private final X509Certificate ca;
    private final PrivateKey caKey;
    private final KeyPair leafKeys;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SslContext> contexts = new ConcurrentHashMap<>();

    private LeafCertificates(X509Certificate ca, PrivateKey caKey) throws GeneralSecurityException {
        this.ca = ca;
        this.caKey = caKey;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        this.leafKeys = generator.generateKeyPair();
    }

    /**
     * Loads {@code ca.crt} (PEM) and {@code ca.key} (PKCS#8 PEM) from the CA folder with the JDK's
     * own parsers, so start-up does not wait for the certificate builder's classes.
     */
    public static LeafCertificates load(Path caDir) throws IOException, GeneralSecurityException {
        Path certFile = caDir.resolve("ca.crt");
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new GeneralSecurityException(certFile + " holds no certificate", e);
        }
        Path keyFile = caDir.resolve("ca.key");
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        int begin = pem.indexOf(PKCS8_BEGIN);
        int end = pem.indexOf(PKCS8_END);
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(keyFile + " holds no PKCS#8 private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
        PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(der));
        return new LeafCertificates(cert, key);
    }

    /** The private key of every leaf; it never leaves the bundle. */
    PrivateKey leafKey() {
        return leafKeys.getPrivate();
    }

    /** The CA certificate, for clients that must trust the gateway. */
    public X509Certificate ca() {
        return ca;
    }

    /** A server TLS context presenting a leaf for {@code host}, minted on first use. */
    public SslContext serverContext(String host) {
        return contexts.computeIfAbsent(host.toLowerCase(java.util.Locale.ROOT), h -> {
            try {
                return SslContextBuilder.forServer(leafKeys.getPrivate(), mint(h), ca).build();
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot mint a certificate for " + h + ": " + e.getMessage(), e);
            }
        });
    }

    /** A leaf certificate for {@code host}, valid for a week. */
    public X509Certificate mint(String host) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(ca, new BigInteger(127, random),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                new X500Name("CN=" + host), leafKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        GeneralName name = isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a leaf for " + host, e);
        }
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        if (!host.matches("[0-9.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
