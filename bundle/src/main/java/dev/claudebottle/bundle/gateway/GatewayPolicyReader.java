package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.bundle.trust.TrustFileReader;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.contract.TrustFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the policy file ({@link PolicyFile}) the kernel wrote. Route values are looked up in the bundle env by the
 * variable names the file gives; a missing variable fails start-up, naming the variable only.
 */
public final class GatewayPolicyReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;
    private final TrustFile trust;
    private final Optional<SignInSource> signIn;

    /**
     * Reads route values from {@code env} (the bundle's process env); the secret patterns and the
     * upstream CAs are the bottle's {@code trust}, which every daemon shares and no reload changes.
     */
    public GatewayPolicyReader(Map<String, String> env, TrustFile trust) {
        this(env, trust, Optional.empty());
    }

    /** Reads as above; a sign-in route's credential comes from {@code signIn}. */
    public GatewayPolicyReader(Map<String, String> env, TrustFile trust, Optional<SignInSource> signIn) {
        this.env = Map.copyOf(env);
        this.trust = trust;
        this.signIn = signIn;
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
            if (value == null || value.isEmpty()) {
                throw new BottleException("route " + r.rule().host() + " needs the bundle env variable "
                        + r.valueEnv() + ", which is not set", "the kernel passes it when it starts the bundle");
            }
            routes.add(new GatewayPolicy.Route(r.rule(), r.header(), Secret.of(value), r.placeholder(),
                    r.plainHttp()));
        }
        return new GatewayPolicy(policy.allow(), routes, policy.dlpAction(), TrustFileReader.patterns(trust),
                policy.upstreamProxy(), trust.upstreamCa(),
                policy.unknown(), policy.askTimeout());
    }
}
