package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.bundle.trust.TrustFileReader;
import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.contract.TrustFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the policy file ({@link PolicyFile}) the kernel wrote. Route values are looked up in the bundle env by the
 * variable names the file gives, anew at each read; a route whose variable is not set (yet: a warm bottle is given
 * its values when it is claimed) is unbound, and a request on it is refused rather than sent without its value.
 */
public final class GatewayPolicyReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<Map<String, String>> env;
    private final TrustFile trust;
    private final Optional<SignInSource> signIn;
    private volatile Optional<String> generation = Optional.empty();

    /**
     * Reads route values from {@code env} (the bundle's process env); the secret patterns and the
     * upstream CAs are the bottle's {@code trust}, which every daemon shares and no reload changes.
     */
    public GatewayPolicyReader(Map<String, String> env, TrustFile trust) {
        this(env, trust, Optional.empty());
    }

    /** Reads as above; a sign-in route's credential comes from {@code signIn}. */
    public GatewayPolicyReader(Map<String, String> env, TrustFile trust, Optional<SignInSource> signIn) {
        this(fixed(Map.copyOf(env)), trust, signIn);
    }

    /** Reads as above, looking route values up in what {@code env} gives at each read. */
    public GatewayPolicyReader(Supplier<Map<String, String>> env, TrustFile trust, Optional<SignInSource> signIn) {
        this.env = env;
        this.trust = trust;
        this.signIn = signIn;
    }

    /** The generation of the bound values the last {@link #read} found, if it found any. */
    public Optional<String> generation() {
        return generation;
    }

    private static Supplier<Map<String, String>> fixed(Map<String, String> env) {
        return () -> env;
    }

    /** The policy in {@code file}. */
    public GatewayPolicy read(Path file) {
        PolicyFile policy;
        try {
            policy = PolicyFile.fromJson(JSON.readValue(file.toFile(), Object.class));
        } catch (IOException e) {
            throw new BottleException("cannot read the gateway policy " + file + ": " + e.getMessage(),
                    "the kernel writes it at launch; start the bottle again");
        } catch (IllegalArgumentException e) {
            throw new BottleException("gateway policy " + file + ": " + e.getMessage(),
                    "use a bundle image of the same version as the bottle CLI");
        }
        Map<String, String> env = this.env.get();
        generation = Optional.ofNullable(env.get(BoundValues.GENERATION));
        List<GatewayPolicy.Route> routes = new ArrayList<>();
        for (PolicyFile.RouteEntry r : policy.routes()) {
            if (r.login().isPresent()) {
                RouteCredential credential = signIn.orElseThrow(() -> new BottleException("route " + r.rule().host()
                        + " uses a sign-in, which this bundle was given no folder of", "the kernel mounts it when it "
                        + "starts the bundle")).credential();
                routes.add(new GatewayPolicy.Route(r.rule(), r.header(), credential, r.placeholder(), false, true));
                continue;
            }
            String value = env.get(r.valueEnv());
            routes.add(value == null || value.isEmpty()
                    ? new GatewayPolicy.Route(r.rule(), r.header(), RouteCredential.unbound(r.valueEnv()),
                            r.placeholder(), r.plainHttp(), false)
                    : new GatewayPolicy.Route(r.rule(), r.header(), Secret.of(value), r.placeholder(), r.plainHttp()));
        }
        return new GatewayPolicy(policy.allow(), routes, policy.dlpAction(), TrustFileReader.patterns(trust),
                policy.upstreamProxy(), trust.upstreamCa(),
                policy.unknown(), policy.askTimeout());
    }
}
