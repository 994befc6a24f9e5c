package dev.claudebottle.warm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a warm bottle was made for: a launch claims it only when every part is the same. The digest
 * covers the manifest's text, the agent, the backend and the credential routes that apply (by the
 * bundle env names and routes, never their values), so an edited manifest, or a route whose host
 * variable was set or unset since, is never served by a bottle made before.
 *
 * @param agent    the agent's name
 * @param manifest the manifest's name, as bottle records name it (its path, or the embedded default)
 * @param backend  the backend it runs on
 * @param digest   SHA-256 of all of the above and the manifest's text, in hex
 */
public record WarmKey(String agent, String manifest, String backend, String digest) {
    /** Requires every part. */
    public WarmKey {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(digest, "digest");
    }

    /** The key of a launch of {@code agent} from the manifest {@code manifest} reading {@code text}. */
    public static WarmKey of(String agent, String manifest, String text, String backend, List<String> routes) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String part : List.of(agent, manifest, backend, String.join("\n", routes), text)) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) ':');
            sha.update(bytes);
        }
        return new WarmKey(agent, manifest, backend, HexFormat.of().formatHex(sha.digest()));
    }

    /** Whether a bottle made for this key was made from the same manifest file for the same agent. */
    public boolean sameSource(WarmKey other) {
        return agent.equals(other.agent) && manifest.equals(other.manifest) && backend.equals(other.backend);
    }
}
