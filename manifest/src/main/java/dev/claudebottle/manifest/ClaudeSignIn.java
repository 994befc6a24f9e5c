package dev.claudebottle.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The host's Claude Code sign-in, as Claude Code keeps it on Linux: {@code claudeAiOauth} in
 * {@code .credentials.json} of {@code $CLAUDE_CONFIG_DIR}, else of {@code ~/.claude}. Only read:
 * nothing here writes to the file, and its tokens leave it only as {@link Secret}s.
 */
public final class ClaudeSignIn {
    /** The file's name in Claude Code's config folder. */
    public static final String FILE = ".credentials.json";
    /** The largest credentials file read, in bytes: a sign-in is a few hundred. */
    private static final long MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A sign-in found in the file.
     *
     * @param file        where it was found
     * @param accessToken the OAuth access token
     * @param expiresAt   when the access token expires
     */
    public record Found(Path file, Secret accessToken, Instant expiresAt) {
    }

    private ClaudeSignIn() {
    }

    /** The credentials file Claude Code on this host reads; none without {@code CLAUDE_CONFIG_DIR} or {@code HOME}. */
    public static Optional<Path> file(HostEnvironment env) {
        return env.get("CLAUDE_CONFIG_DIR").filter(d -> !d.isBlank()).map(Path::of)
                .or(() -> env.get("HOME").filter(h -> !h.isBlank()).map(h -> Path.of(h, ".claude")))
                .map(dir -> dir.resolve(FILE));
    }

    /**
     * The sign-in in {@code file}, if it holds one with an access token.
     *
     * @throws IOException when the file exists but cannot be read or is not the JSON Claude Code writes
     */
    public static Optional<Found> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than a Claude Code credentials file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            // the parser's message may quote the file, tokens and all
            throw new IOException(file + " is not the JSON Claude Code writes");
        }
        JsonNode oauth = root == null ? null : root.get("claudeAiOauth");
        if (oauth == null || !oauth.path("accessToken").isTextual() || oauth.path("accessToken").asText().isEmpty()) {
            return Optional.empty();
        }
        Instant expires = oauth.path("expiresAt").canConvertToLong()
                ? Instant.ofEpochMilli(oauth.path("expiresAt").asLong()) : Instant.MAX;
        return Optional.of(new Found(file, Secret.of(oauth.path("accessToken").asText()), expires));
    }

    /** What {@code bottle doctor} says of the host's sign-in; never a token. */
    public static Check check(HostEnvironment env, Instant now) {
        String name = "claude sign-in";
        Optional<Path> file = file(env);
        if (file.isEmpty()) {
            return Check.ok(name, "none (no HOME): bottles use ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN");
        }
        try {
            Optional<Found> found = read(file.get());
            if (found.isEmpty()) {
                return Check.ok(name, "none in " + file.get() + ": bottles use ANTHROPIC_API_KEY or "
                        + "CLAUDE_CODE_OAUTH_TOKEN");
            }
            if (!found.get().expiresAt().isAfter(now)) {
                return Check.warn(name, file.get() + ": its access token expired at " + found.get().expiresAt(),
                        "run claude on the host once, so that it refreshes its sign-in (or /login)");
            }
            return Check.ok(name, file.get() + ", its access token good until " + found.get().expiresAt());
        } catch (IOException e) {
            return Check.warn(name, e.getMessage(), "sign in again on the host: run claude, then /login");
        }
    }
}
