package dev.claudebottle.bundle.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints, on demand, the leaf certificates the gateway presents when it intercepts a host, signed
 * by the bottle's CA, and caches a server TLS context per host. One leaf key pair serves every
 * host: minting stays cheap and the key never leaves the bundle.
 */
public final class LeafCertificates {
    private static final Duration VALIDITY = Duration.ofDays(7);
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

    /** Loads {@code ca.crt} and {@code ca.key} (PEM) from the CA folder. */
    public static LeafCertificates load(Path caDir) throws IOException, GeneralSecurityException {
        X509Certificate cert;
        try (Reader r = Files.newBufferedReader(caDir.resolve("ca.crt")); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new GeneralSecurityException(caDir.resolve("ca.crt") + " holds no certificate");
            }
            cert = new JcaX509CertificateConverter().getCertificate(holder);
        }
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(caDir.resolve("ca.key")); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (o instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else {
                throw new GeneralSecurityException(caDir.resolve("ca.key") + " holds no private key");
            }
        }
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
