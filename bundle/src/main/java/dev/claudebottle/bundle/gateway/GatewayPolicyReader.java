package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.HostPattern;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the policy file the kernel wrote. Route values are looked up in the bundle env by the
 * variable names the file gives; a missing variable fails start-up, naming the variable only.
 */
public final class GatewayPolicyReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;

    /** Reads route values from {@code env} (the bundle's process env). */
    public GatewayPolicyReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The policy in {@code file}. */
    public GatewayPolicy read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new BottleException("cannot read the gateway policy " + file + ": " + e.getMessage(),
                    "the kernel writes it at launch; start the bottle again");
        }
        if (root == null || root.path("version").asInt() != 1) {
            throw new BottleException("gateway policy " + file + " is not a version 1 policy",
                    "use a bundle image of the same version as the bottle CLI");
        }
        List<GatewayPolicy.Allow> allow = new ArrayList<>();
        for (JsonNode a : root.path("allow")) {
            allow.add(new GatewayPolicy.Allow(new HostPattern(a.path("host").asText()), ints(a.path("ports")),
                    strings(a.path("methods")), strings(a.path("paths")), a.path("private").asBoolean(false)));
        }
        List<GatewayPolicy.Route> routes = new ArrayList<>();
        for (JsonNode r : root.path("routes")) {
            String variable = r.path("value_env").asText();
            String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw new BottleException("route " + r.path("host").asText() + " needs the bundle env variable "
                        + variable + ", which is not set", "the kernel passes it when it starts the bundle");
            }
            routes.add(new GatewayPolicy.Route(new HostPattern(r.path("host").asText()), ints(r.path("ports")),
                    strings(r.path("methods")),
                    strings(r.path("paths")), r.path("header").asText(), Secret.of(value),
                    Optional.ofNullable(r.get("placeholder")).map(JsonNode::asText),
                    r.path("private").asBoolean(false), r.path("plain_http").asBoolean(false)));
        }
        JsonNode dlp = root.path("dlp");
        List<DlpPattern> patterns = new ArrayList<>();
        for (JsonNode p : dlp.path("patterns")) {
            patterns.add(new DlpPattern(p.path("name").asText(), p.path("regex").asText()));
        }
        DlpAction action = DlpAction.valueOf(dlp.path("action").asText("block").toUpperCase(Locale.ROOT));
        return new GatewayPolicy(allow, routes, action, patterns,
                Optional.ofNullable(root.get("upstream_proxy")).map(JsonNode::asText),
                Optional.ofNullable(root.get("upstream_ca")).map(JsonNode::asText));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
