package dev.claudebottle.provision.ca;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Every bottle gets its own CA: minted on the host before launch, mounted into the bundle for
 * the gateway, and trusted by the guest's system store, Node and Python.
 */
@Extension
public final class CaProvisioner implements Provisioner {
    /** Where the CA folder is mounted in the bundle. */
    public static final String BUNDLE_DIR = "/etc/claude-bottle/ca";
    /** Where the guest keeps the certificate. */
    public static final String GUEST_CERT = "/usr/local/share/ca-certificates/claude-bottle.crt";
    /** The guest's system bundle after {@code update-ca-certificates}. */
    public static final String GUEST_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    @Override
    public Contribution contribute(LaunchSpec spec) {
        Path dir = spec.stateDir().resolve("ca");
        Path cert = dir.resolve(CertificateAuthority.CERT_FILE);
        return Contribution.builder()
                .step(Step.of("ca.mint", Phase.PREPARE, "mint a per-bottle ECDSA P-256 CA in " + dir, ctx -> {
                    new CertificateAuthority().mint(spec.slug(), dir);
                    return Undo.NONE;
                }))
                .bundleMount(new BundleMount(dir, BUNDLE_DIR, true))
                .bundleEnv(BundleEnv.plain("CLAUDE_BOTTLE_CA_DIR", BUNDLE_DIR))
                .step(Step.of("ca.trust", Phase.SYSTEM,
                        "install the CA certificate as " + GUEST_CERT + " and run update-ca-certificates", ctx -> {
                            ctx.guest().copy(cert, GUEST_CERT, Guest.ROOT, 0644);
                            ExecResult r = ctx.guest().exec(Guest.ROOT, List.of("update-ca-certificates"), Map.of());
                            if (!r.ok()) {
                                throw new BottleException("update-ca-certificates exited " + r.exitCode() + ": "
                                        + r.stderr().strip(), "the agent image needs the ca-certificates package");
                            }
                            return Undo.NONE;
                        }))
                .guestEnv("NODE_EXTRA_CA_CERTS", GUEST_CERT)
                .guestEnv("SSL_CERT_FILE", GUEST_BUNDLE)
                .guestEnv("REQUESTS_CA_BUNDLE", GUEST_BUNDLE)
                .build();
    }
}
