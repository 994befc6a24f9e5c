package dev.claudebottle.contract;

import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What every bottle's bundle has, whichever feature plugins are installed, contributed once by
 * the kernel beside the agent's home: the record folder (every daemon and the host write it), the
 * approval queue (every daemon that asks a person files there) and the {@link TrustFile} (the
 * gateway and the git gate scan and verify with it). A feature plugin enables its daemon and
 * brings its own configuration; removing one never takes away what another's daemon needs.
 */
public final class BundleBase {
    /** The base's step: it makes the record and queue folders and writes the trust file. */
    public static final String STEP = "bundle.base";
    /** The folder, in a bottle's state folder, of the trust file and the upstream CAs. */
    public static final String HOST_DIR = "base";
    /** What to do when the gateway a manifest needs is missing. */
    public static final String MISSING_HINT =
            "the provision-gateway plugin, which enables it, is missing from the distribution's plugins: reinstall it";

    private BundleBase() {
    }

    /**
     * The base of a bottle's bundle.
     *
     * @param json the host's JSON writer, for the trust file
     */
    public static Contribution contribute(LaunchSpec spec, TreeEncoder json) {
        Path record = spec.recordDir();
        Path queue = spec.stateDir().resolve(ApprovalQueueFiles.HOST_DIR);
        Path base = spec.stateDir().resolve(HOST_DIR);
        EgressDef egress = spec.bottle().egress();
        TrustFile trust = TrustFile.of(egress);
        return Contribution.builder()
                .bundleMount(new BundleMount(record, BundleLayout.AUDIT_DIR, false))
                .bundleMount(new BundleMount(queue, BundleLayout.APPROVAL_QUEUE_DIR, false))
                .bundleMount(new BundleMount(base, BundleLayout.BASE_DIR, true))
                .bundleEnv(BundleVariables.SLUG.entry(spec.slug()))
                .bundleEnv(BundleVariables.AUDIT_LOG.entry(BundleLayout.AUDIT_LOG))
                .bundleEnv(BundleVariables.APPROVAL_QUEUE.entry(BundleLayout.APPROVAL_QUEUE_DIR))
                .bundleEnv(BundleVariables.TRUST.entry(BundleLayout.TRUST_FILE))
                .step(Step.of(STEP, Phase.PREPARE, "make the record folder " + record + " and the approval queue "
                        + queue + ", and write the trust file (" + trust.dlpPatterns().size() + " DLP pattern"
                        + (trust.dlpPatterns().size() == 1 ? "" : "s") + upstreamCas(egress) + ") to " + base, ctx -> {
                            Files.createDirectories(record);
                            // made here, so they belong to the host user who writes decisions into them
                            for (String dir : ApprovalQueueFiles.FOLDERS) {
                                Files.createDirectories(queue.resolve(dir));
                            }
                            Files.createDirectories(base);
                            Files.write(base.resolve(BundleLayout.TRUST_FILE_NAME), json.encode(trust.toJson()));
                            if (!egress.upstreamCa().isEmpty()) {
                                Files.write(base.resolve(BundleLayout.UPSTREAM_CA_NAME), HostCas.bundle(egress.upstreamCa()));
                            }
                            return Undo.NONE;
                        }))
                .build();
    }

    /**
     * What the bottle asks of a daemon no plugin enables, one sentence each: a bottle that allows
     * hosts, routes credentials, asks or learns about unknown hosts or chains a proxy needs the
     * gateway. The kernel refuses such a plan before anything starts.
     *
     * @param daemons the names of the daemons the plugins enable
     */
    public static List<String> unserved(BottleDef bottle, Collection<String> daemons) {
        List<String> missing = new ArrayList<>();
        if (!daemons.contains(BundleLayout.GATEWAY)) {
            EgressDef egress = bottle.egress();
            Optional<String> needs = !egress.allow().isEmpty() ? Optional.of("allows hosts")
                    : !egress.routes().isEmpty() ? Optional.of("routes credentials")
                    : egress.unknown() != UnknownAction.DENY ? Optional.of("sets egress.unknown: "
                            + Wire.name(egress.unknown()))
                    : egress.upstreamProxy().map(p -> "sets egress.upstream_proxy");
            needs.ifPresent(what -> missing.add("bottle '" + bottle.name() + "' " + what
                    + ", but no plugin enables the gateway"));
        }
        return missing;
    }

    private static String upstreamCas(EgressDef egress) {
        return egress.upstreamCa().isEmpty() ? "" : ", upstream CA certificates of " + String.join(", ",
                egress.upstreamCa().stream().map(Path::toString).toList());
    }
}
