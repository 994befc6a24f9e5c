package dev.claudebottle.provision.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.contract.PolicyRules;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.EgressDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Writes the gateway's policy file ({@link PolicyFile}). It names the bundle env variables that
 * carry route values, never the values themselves, so the file is safe to keep in the state dir.
 */
final class GatewayPolicyWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    PolicyFile policy(EgressDef egress, List<CredentialRoute> routes) {
        List<PolicyFile.Rule> allow = egress.allow().stream().map(GatewayPolicyWriter::rule).toList();
        List<PolicyFile.RouteEntry> entries = routes.stream().map(resolved -> {
            var route = resolved.route();
            PolicyFile.Rule where = new PolicyFile.Rule(route.host(), route.ports(), route.methods(), route.paths(),
                    route.allowPrivate());
            if (route.login().isPresent()) {
                // the gateway reads the sign-in from its folder, and the guest holds the sentinel sign-in
                return new PolicyFile.RouteEntry(where, route.header(), "",
                        Optional.of(SignInFile.ACCESS_SENTINEL), false, route.login());
            }
            return new PolicyFile.RouteEntry(where, route.header(), resolved.bundleEnv(),
                    route.placeholder().map(p -> p.value()), route.plainHttp());
        }).toList();
        return new PolicyFile(allow, entries, egress.dlp().action(), egress.upstreamProxy().map(Object::toString),
                egress.unknown(), egress.askTimeout());
    }

    /** The rules of a bottle's egress, as the gateway will read them from the policy file. */
    static PolicyRules rules(EgressDef egress) {
        return new PolicyRules(egress.allow().stream().map(GatewayPolicyWriter::rule).toList(), egress.routes()
                .stream().map(r -> new PolicyFile.Rule(r.host(), r.ports(), r.methods(), r.paths(), r.allowPrivate()))
                .toList());
    }

    private static PolicyFile.Rule rule(AllowRule rule) {
        return new PolicyFile.Rule(rule.host(), rule.ports(), rule.methods(), rule.paths(),
                rule.allowPrivate(), rule.publicOnly(), rule.preset());
    }

    void write(PolicyFile policy, Path file) throws IOException {
        write(policy.toJson(), file);
    }

    /** Writes a tree whole: the gateway, which may reload it any moment, never reads half of it. */
    void write(java.util.Map<String, Object> tree, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), tree);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
