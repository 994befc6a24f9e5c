package dev.claudebottle.provision.claude;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * The user configuration Claude Code finds in the guest on its first start, so that it goes
 * straight to its prompt: onboarding done, the home (and every directory below it) trusted, the
 * placeholder API key approved, bypass-permissions mode accepted. The defaults go beneath what is
 * already there: a value the user's files set wins.
 */
final class ClaudeCodeConfig {
    /** Guest env defaults that keep Claude Code from reaching hosts it does not need to work. */
    static final Map<String, String> QUIET_ENV = Map.of(
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
            "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL", "1",
            "DISABLE_AUTOUPDATER", "1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaudeCodeConfig() {
    }

    /**
     * {@code ~/.claude.json} with the defaults merged beneath {@code existing}.
     *
     * @param existing  the file's current text, empty when there is none
     * @param guestHome the agent's home, trusted with every directory below it
     * @param apiKey    the API key the guest env holds (a placeholder), if any
     */
    static String userState(String existing, String guestHome, Optional<String> apiKey) throws JsonProcessingException {
        ObjectNode defaults = JSON.createObjectNode();
        defaults.put("hasCompletedOnboarding", true);
        defaults.putObject("projects").putObject(guestHome).put("hasTrustDialogAccepted", true);
        ObjectNode current = parse(existing);
        // Claude Code remembers a key the user answered for by its last 20 characters.
        Optional<String> remembered = apiKey.map(key -> key.substring(Math.max(0, key.length() - 20)));
        JsonNode rejected = current.path("customApiKeyResponses").path("rejected");
        remembered.filter(k -> !(rejected instanceof ArrayNode r && contains(r, JSON.getNodeFactory().textNode(k))))
                .ifPresent(k -> {
                    ObjectNode responses = defaults.putObject("customApiKeyResponses");
                    responses.putArray("approved").add(k);
                    responses.putArray("rejected");
                });
        return merged(current, defaults);
    }

    /** {@code ~/.claude/settings.json} with the defaults merged beneath {@code existing}. */
    static String userSettings(String existing) throws JsonProcessingException {
        ObjectNode defaults = JSON.createObjectNode();
        defaults.put("skipDangerousModePermissionPrompt", true);
        return merged(parse(existing), defaults);
    }

    private static ObjectNode parse(String existing) throws JsonProcessingException {
        JsonNode current = existing.isBlank() ? JSON.createObjectNode() : JSON.readTree(existing);
        if (!(current instanceof ObjectNode object)) {
            throw new NotAnObject();
        }
        return object;
    }

    private static String merged(ObjectNode current, ObjectNode defaults) throws JsonProcessingException {
        mergeBeneath(current, defaults);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(current) + "\n";
    }

    /** Adds what {@code defaults} has and {@code target} lacks; objects merge, arrays gain missing items. */
    private static void mergeBeneath(ObjectNode target, ObjectNode defaults) {
        defaults.fields().forEachRemaining(e -> {
            JsonNode have = target.get(e.getKey());
            JsonNode want = e.getValue();
            if (have == null) {
                target.set(e.getKey(), want.deepCopy());
            } else if (have instanceof ObjectNode h && want instanceof ObjectNode w) {
                mergeBeneath(h, w);
            } else if (have instanceof ArrayNode h && want instanceof ArrayNode w && e.getKey().equals("approved")) {
                w.forEach(item -> {
                    if (!contains(h, item)) {
                        h.add(item);
                    }
                });
            }
        });
    }

    private static boolean contains(ArrayNode array, JsonNode item) {
        for (JsonNode n : array) {
            if (n.equals(item)) {
                return true;
            }
        }
        return false;
    }

    /** A file that is JSON but not an object. */
    static final class NotAnObject extends JsonProcessingException {
        NotAnObject() {
            super("it holds JSON but not an object");
        }
    }
}
