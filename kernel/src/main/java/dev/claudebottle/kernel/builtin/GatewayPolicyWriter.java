package dev.claudebottle.kernel.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.EgressDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the gateway's policy file. It names the bundle env variables that carry route values,
 * never the values themselves, so the file is safe to keep in the state dir.
 */
final class GatewayPolicyWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    Map<String, Object> policy(EgressDef egress, List<ResolvedRoute> routes, String upstreamCaPath) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("version", 1);
        List<Map<String, Object>> allow = new ArrayList<>();
        for (AllowRule rule : egress.allow()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("host", rule.host().pattern());
            r.put("ports", rule.ports());
            r.put("methods", rule.methods());
            r.put("paths", rule.paths());
            r.put("private", rule.allowPrivate());
            allow.add(r);
        }
        policy.put("allow", allow);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ResolvedRoute resolved : routes) {
            var route = resolved.route();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("host", route.host().pattern());
            r.put("ports", route.ports());
            r.put("methods", route.methods());
            r.put("paths", route.paths());
            r.put("header", route.header());
            r.put("value_env", resolved.bundleEnv());
            route.placeholder().ifPresent(p -> r.put("placeholder", p.value()));
            r.put("private", route.allowPrivate());
            r.put("plain_http", route.plainHttp());
            out.add(r);
        }
        policy.put("routes", out);
        Map<String, Object> dlp = new LinkedHashMap<>();
        dlp.put("action", egress.dlp().action().name().toLowerCase(Locale.ROOT));
        List<Map<String, String>> patterns = new ArrayList<>();
        for (DlpPattern p : egress.dlp().patterns()) {
            patterns.add(Map.of("name", p.name(), "regex", p.regex()));
        }
        dlp.put("patterns", patterns);
        policy.put("dlp", dlp);
        egress.upstreamProxy().ifPresent(u -> policy.put("upstream_proxy", u.toString()));
        if (!egress.upstreamCa().isEmpty()) {
            policy.put("upstream_ca", upstreamCaPath);
        }
        return policy;
    }

    void write(Map<String, Object> policy, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), policy);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
