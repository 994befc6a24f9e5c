package dev.claudebottle.bundle.signin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A host's Claude config folder in a temp dir: its credentials file written as Claude Code writes it, and read. */
final class HostFolder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    HostFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path file() {
        return dir.resolve(SignInFile.NAME);
    }

    Path lock(String name) {
        return dir.resolve(name);
    }

    /** Claude Code signs in (or refreshes): a temp file renamed over the old one, with a key of its own beside the sign-in. */
    void signIn(FakeTokenEndpoint.Pair pair, Instant expiresAt) {
        Map<String, Object> oauth = new LinkedHashMap<>();
        oauth.put("accessToken", pair.access().reveal());
        oauth.put("refreshToken", pair.refresh() == null ? null : pair.refresh().reveal());
        oauth.put("expiresAt", expiresAt.toEpochMilli());
        oauth.put("scopes", FakeTokenEndpoint.SCOPES);
        oauth.put("subscriptionType", "max");
        oauth.put("rateLimitTier", "default_claude_max_20x");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("claudeAiOauth", oauth);
        root.put("mcpOAuth", Map.of("some-server", Map.of("accessToken", "mcp-token")));
        write(root);
    }

    /** Another party rewrites the file in place and puts its mtime back, so its stamp shows no change. */
    void rewriteInPlace(FakeTokenEndpoint.Pair pair, Instant expiresAt, FileTime modified) {
        Path aside = dir.resolve("aside");
        try {
            Files.move(file(), aside);
            signIn(pair, expiresAt);
            byte[] bytes = Files.readAllBytes(file());
            Files.move(aside, file(), StandardCopyOption.REPLACE_EXISTING);
            Files.write(file(), bytes);
            Files.setLastModifiedTime(file(), modified);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Object tree) {
        try {
            Path temp = dir.resolve(SignInFile.NAME + ".tmp.test");
            Files.write(temp, JSON.writeValueAsBytes(tree));
            Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> tree() {
        try {
            return JSON.readValue(Files.readAllBytes(file()), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> oauth() {
        return (Map<String, Object>) tree().get("claudeAiOauth");
    }

    Secret accessToken() {
        return Secret.of((String) oauth().get("accessToken"));
    }

    Secret refreshToken() {
        return Secret.of((String) oauth().get("refreshToken"));
    }

    @SuppressWarnings("unchecked")
    List<String> scopes() {
        return (List<String>) oauth().get("scopes");
    }
}
