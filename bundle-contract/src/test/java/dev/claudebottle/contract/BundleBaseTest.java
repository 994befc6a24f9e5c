package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.AlertAction;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpDef;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleBaseTest {
    private static final Location HERE = new Location("bottle.yaml", 3, 5);
    @TempDir
    Path dir;

    @Test
    void everyBundleGetsTheRecordTheQueueAndTheTrustFileWhateverItsPluginsAre() throws Exception {
        Path ca = dir.resolve("corp-ca.pem");
        Files.writeString(ca, jdkCa());
        EgressDef egress = egress(List.of(), UnknownAction.DENY, List.of(ca));
        LaunchSpec spec = spec(egress);

        Contribution base = BundleBase.contribute(spec, BundleBaseTest::text);

        assertThat(base.daemons()).as("the base enables no daemon: feature plugins do").isEmpty();
        assertThat(base.bundleMounts()).containsExactly(
                new BundleMount(spec.recordDir(), BundleLayout.AUDIT_DIR, false),
                new BundleMount(spec.stateDir().resolve(ApprovalQueueFiles.HOST_DIR), BundleLayout.APPROVAL_QUEUE_DIR, false),
                new BundleMount(spec.stateDir().resolve(BundleBase.HOST_DIR), BundleLayout.BASE_DIR, true));
        Map<String, String> env = base.bundleEnv().stream().collect(Collectors.toMap(BundleEnv::name,
                e -> e.value().orElseThrow()));
        assertThat(BundleVariables.SLUG.read(env)).isEqualTo("a-1234");
        assertThat(BundleVariables.AUDIT_LOG.read(env)).isEqualTo(BundleLayout.AUDIT_LOG);
        assertThat(BundleVariables.APPROVAL_QUEUE.read(env)).isEqualTo(BundleLayout.APPROVAL_QUEUE_DIR);
        assertThat(BundleVariables.TRUST.read(env)).isEqualTo(BundleLayout.TRUST_FILE);

        assertThat(base.steps()).singleElement().satisfies(s -> assertThat(s.id()).isEqualTo(BundleBase.STEP));
        base.steps().get(0).action().run(null);

        assertThat(spec.recordDir()).isDirectory();
        for (String folder : ApprovalQueueFiles.FOLDERS) {
            assertThat(spec.stateDir().resolve(ApprovalQueueFiles.HOST_DIR).resolve(folder)).isDirectory();
        }
        Path base0 = spec.stateDir().resolve(BundleBase.HOST_DIR);
        assertThat(Files.readString(base0.resolve(BundleLayout.TRUST_FILE_NAME)))
                .isEqualTo(TrustFile.of(egress).toJson().toString());
        assertThat(TrustFile.of(egress)).isEqualTo(new TrustFile(List.of(new TrustFile.Pattern("corp", "corp_[0-9]+")),
                Optional.of(BundleLayout.UPSTREAM_CA_FILE)));
        assertThat(PemCertificates.read(Files.readString(base0.resolve(BundleLayout.UPSTREAM_CA_NAME),
                StandardCharsets.ISO_8859_1))).hasSize(1);
    }

    @Test
    void aBottleWithoutUpstreamCasTrustsTheSystemsOnly() throws Exception {
        LaunchSpec spec = spec(egress(List.of(), UnknownAction.DENY, List.of()));
        BundleBase.contribute(spec, BundleBaseTest::text).steps().get(0).action().run(null);

        Path base = spec.stateDir().resolve(BundleBase.HOST_DIR);
        assertThat(base.resolve(BundleLayout.UPSTREAM_CA_NAME)).doesNotExist();
        assertThat(TrustFile.of(spec.bottle().egress()).upstreamCa()).isEmpty();
    }

    @Test
    void whatOnlyTheGatewayServesIsNamedWhenNoPluginEnablesIt() {
        var allow = new AllowRule(new HostPattern("npm.test"), List.of(), List.of(), List.of(), false, false, HERE);
        assertThat(BundleBase.unserved(bottle(egress(List.of(allow), UnknownAction.DENY, List.of())), List.of()))
                .containsExactly("bottle 'web' allows hosts, but no plugin enables the gateway");
        assertThat(BundleBase.unserved(bottle(egress(List.of(), UnknownAction.ASK, List.of())), List.of("git-gate")))
                .containsExactly("bottle 'web' sets egress.unknown: ask, but no plugin enables the gateway");
        assertThat(BundleBase.unserved(bottle(egress(List.of(), UnknownAction.LEARN, List.of())), List.of()))
                .containsExactly("bottle 'web' sets egress.unknown: learn, but no plugin enables the gateway");
        assertThat(BundleBase.unserved(bottle(egress(List.of(allow), UnknownAction.ASK, List.of())),
                List.of(BundleLayout.GATEWAY))).isEmpty();
        assertThat(BundleBase.unserved(bottle(EgressDef.DENY_ALL), List.of())).as("a closed bottle needs nothing")
                .isEmpty();
    }

    private static EgressDef egress(List<AllowRule> allow, UnknownAction unknown, List<Path> cas) {
        return new EgressDef(allow, List.of(), new DlpDef(DlpAction.BLOCK, List.of(new DlpPattern("corp",
                "corp_[0-9]+"))), Optional.empty(), cas, AlertAction.LOG, unknown, EgressDef.DEFAULT_ASK_TIMEOUT);
    }

    private static BottleDef bottle(EgressDef egress) {
        return new BottleDef("web", Map.of(), egress, Map.of(), HERE);
    }

    private LaunchSpec spec(EgressDef egress) {
        Path state = dir.resolve("bottles").resolve("a-1234");
        return new LaunchSpec("a-1234", new AgentDef("a", "web", Optional.empty(), Optional.empty(), List.of(),
                AgentDef.DEFAULT_COMMAND, HERE), bottle(egress), dir, state, Optional.empty(), "docker", "/home/node",
                false, List.of());
    }

    /** A stand-in for a JSON library: the tree's text is enough to compare. */
    private static byte[] text(Map<String, Object> tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A real CA certificate, from the JDK's own trust store. */
    private static String jdkCa() throws Exception {
        KeyStore store = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts")
                .toFile(), (char[]) null);
        String alias = Collections.list(store.aliases()).stream().sorted().findFirst().orElseThrow();
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(store.getCertificate(alias).getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}
