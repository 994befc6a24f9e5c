package dev.claudebottle.provision.ca;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.contract.HostCas;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * Every bottle gets its own CA: minted on the host before launch, mounted into the bundle for
 * the gateway, and trusted by every runtime the guest ships ({@link GuestTrust}), together with
 * the bottle's upstream CAs (a corporate proxy's, which re-signs the hosts the guest tunnels to).
 */
@Extension
public final class CaProvisioner implements Provisioner {
    /** Where the guest keeps the certificates. */
    public static final String GUEST_CERT = GuestTrust.GUEST_CERT;
    /** The guest's system bundle, which gets the certificates appended. */
    public static final String GUEST_BUNDLE = GuestTrust.GUEST_BUNDLE;

    @Override
    public Contribution contribute(LaunchSpec spec) {
        Path dir = spec.stateDir().resolve("ca");
        Path cert = dir.resolve(CertificateAuthority.CERT_FILE);
        // A corporate proxy's CAs, so that the guest trusts the hosts it reaches through a tunnel.
        List<Path> upstream = spec.bottle().egress().upstreamCa();
        Contribution.Builder contribution = Contribution.builder()
                .step(Step.of("ca.mint", Phase.PREPARE, "mint a per-bottle ECDSA P-256 CA in " + dir, ctx -> {
                    new CertificateAuthority().mint(spec.slug(), dir);
                    return Undo.NONE;
                }))
                .bundleMount(new BundleMount(dir, BundleLayout.CA_DIR, true))
                .bundleEnv(BundleVariables.CA_DIR.entry(BundleLayout.CA_DIR))
                .step(Step.of("ca.trust", Phase.SYSTEM,
                        "install the CA certificate" + (upstream.isEmpty() ? "" : " and the upstream CA certificates of "
                                + upstream.stream().map(Path::toString).collect(Collectors.joining(", ")))
                                + " as " + GUEST_CERT + " and add " + (upstream.isEmpty() ? "it" : "them") + " to "
                                + GUEST_BUNDLE + ", to each JVM's default trust store and to each certifi bundle",
                        ctx -> {
                            List<Path> trusted = new ArrayList<>(List.of(cert));
                            trusted.addAll(upstream);
                            ctx.guest().write(HostCas.bundle(trusted), GUEST_CERT, Guest.ROOT, 0644);
                            ExecResult r = ctx.guest().exec(Guest.ROOT,
                                    GuestTrust.argv(GuestTrust.JVM_STORE_PASSWORD), Map.of());
                            if (!r.ok()) {
                                throw new BottleException("trusting the bottle's CA in the guest failed (exit "
                                        + r.exitCode() + "): " + r.stderr().strip(), r.stderr().contains("keytool")
                                        ? "each JVM in the agent image needs its default trust store under the JDK's "
                                        + "default password (changeit)"
                                        : "the agent image needs the ca-certificates package");
                            }
                            return Undo.NONE;
                        }));
        GuestTrust.env().forEach(contribution::guestEnv);
        return contribution.build();
    }
}
