package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.command.InertText;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.contract.SignInFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The egress gateway every bottle has: the daemon and its port, the policy file, route values in
 * the bundle env, proxy settings and placeholders in the guest env. Without it a bottle has no way
 * out at all: the guest's network reaches nothing but the bundle.
 */
@Extension
public final class GatewayProvisioner implements Provisioner {
    /** The gateway daemon's name and guest port name. */
    private static final String DAEMON = BundleLayout.GATEWAY;
    private final GatewayPolicyWriter writer = new GatewayPolicyWriter();
    private final HostEnvironment env;

    /** A provisioner that sends the record nowhere. */
    public GatewayProvisioner() {
        this(HostEnvironment.of(java.util.Map.of()));
    }

    /** Created by the kernel's injector; the host's {@code CLAUDE_BOTTLE_OTLP_ENDPOINT} exports the record. */
    @jakarta.inject.Inject
    public GatewayProvisioner(HostEnvironment env) {
        this.env = env;
    }

    @Override
    public Contribution contribute(LaunchSpec spec) {
        List<CredentialRoute> routes = spec.routes();
        Path policyDir = spec.stateDir().resolve("gateway");
        var egress = spec.bottle().egress();
        PolicyFile policy = writer.policy(egress, routes);
        Contribution.Builder b = Contribution.builder()
                .daemon(new BundleDaemon(DAEMON, BundleLayout.GATEWAY_PORT))
                .port(new GuestPort(DAEMON, BundleLayout.GATEWAY_PORT))
                .bundleMount(new BundleMount(policyDir, BundleLayout.POLICY_DIR, true))
                .bundleEnv(BundleVariables.GATEWAY_POLICY.entry(BundleLayout.POLICY_FILE))
                .bundleEnv(BundleVariables.GATEWAY_PORT.entry(BundleLayout.GATEWAY_PORT))
                .bundleEnv(BundleVariables.ON_ALERT.entry(egress.onAlert()));
        for (CredentialRoute r : routes) {
            if (r.route().login().isEmpty()) {
                b.bundleEnv(BundleEnv.secret(r.bundleEnv(), r.value()));
            }
        }
        if (routes.stream().anyMatch(r -> r.route().login().isPresent())) {
            // read-write: the gateway refreshes the sign-in under Claude Code's own locks there and writes it back
            Path folder = SignInFile.folder(env).orElseThrow(() -> new BadInputException("a route uses the host's "
                    + "Claude sign-in, but neither HOME nor CLAUDE_CONFIG_DIR is set", "set HOME"));
            b.bundleMount(new BundleMount(folder.toAbsolutePath(), BundleLayout.SIGN_IN_DIR, false));
        }
        // the bottle's own receiver first, else the host's
        spec.bottle().section(RecordSection.KEY, RecordSection.Def.class).flatMap(RecordSection.Def::otlpEndpoint)
                .map(URI::toString).or(() -> env.get(BundleVariables.OTLP_ENDPOINT.name()).filter(v -> !v.isBlank())
                        .map(v -> RecordSection.checked(v).map(URI::toString).orElseThrow(() -> new BadInputException(
                                BundleVariables.OTLP_ENDPOINT.name() + " is not an http:// or https:// URL without "
                                        + "credentials", "set it like http://collector.test:4318, or unset it"))))
                .ifPresent(endpoint -> b.bundleEnv(BundleVariables.OTLP_ENDPOINT.entry(endpoint)));
        String proxy = "http://{endpoint:" + DAEMON + "}";
        for (String name : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
            b.guestEnv(name, proxy);
        }
        b.guestEnv("NO_PROXY", "localhost,127.0.0.1,{host:" + DAEMON + "}");
        b.guestEnv("no_proxy", "localhost,127.0.0.1,{host:" + DAEMON + "}");
        Set<String> placeholders = new LinkedHashSet<>();
        for (CredentialRoute r : routes) {
            r.route().placeholder().filter(p -> placeholders.add(p.env()))
                    .ifPresent(p -> b.guestEnv(p.env(), p.value()));
        }
        int allowed = egress.allow().size();
        BudgetFile.Budget budget = spec.bottle().section(BudgetSection.KEY, BudgetFile.Budget.class)
                .orElse(BudgetFile.Budget.UNLIMITED);
        // a dollar budget prices a model it does not know at the dearest family: the person hears of it now
        List<String> unpriced = budget.usd().isPresent() ? NamedModels.unpriced(budget, spec.bottle(), spec.agent())
                : List.of();
        b.step(Step.of("gateway.policy", Phase.PREPARE,
                "write the gateway policy (" + allowed + " allow rule" + (allowed == 1 ? "" : "s") + ", "
                        + routes.size() + " route" + (routes.size() == 1 ? "" : "s") + ") and budget ("
                        + BudgetLine.of(budget) + (unpriced.isEmpty() ? "" : "; unpriced: " + InertText.of(String.join(
                        ", ", unpriced))) + ") to " + policyDir,
                ctx -> {
                    unpriced.forEach(model -> ctx.events().warn("the price table does not know model " + InertText.of(model)
                            + ": its calls are priced as the dearest model; give its price under budget.prices"));
                    writer.write(policy, policyDir.resolve("policy.json"));
                    writer.write(BudgetFile.toJson(budget), spec.stateDir().resolve(BudgetFile.IN_STATE_DIR));
                    return Undo.NONE;
                }));
        new GatewayProbes(spec).steps().forEach(b::step);
        return b.build();
    }
}
