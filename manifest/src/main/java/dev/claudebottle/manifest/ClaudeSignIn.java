package dev.claudebottle.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.HostEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The host's Claude Code sign-in, as Claude Code keeps it on Linux: {@code claudeAiOauth} in
 * {@code .credentials.json} of {@code $CLAUDE_CONFIG_DIR}, else of {@code ~/.claude}
 * ({@link SignInFile}). Only read here: the bundle refreshes it and writes it back.
 */
public final class ClaudeSignIn {
    /** The file's name in Claude Code's config folder. */
    public static final String FILE = SignInFile.NAME;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A sign-in found in the file.
     *
     * @param file   where it was found
     * @param signIn what it holds
     */
    public record Found(Path file, SignInFile.SignIn signIn) {
        /** Whether it can be used at {@code now}: its access token is good, or it can be refreshed. */
        public boolean usableAt(Instant now) {
            return signIn.liveAt(now) || signIn.refreshToken().isPresent();
        }
    }

    private ClaudeSignIn() {
    }

    /** The credentials file Claude Code on this host reads; none without {@code CLAUDE_CONFIG_DIR} or {@code HOME}. */
    public static Optional<Path> file(HostEnvironment env) {
        return SignInFile.folder(env).map(dir -> dir.resolve(FILE));
    }

    /**
     * The sign-in in {@code file}, if it holds one with an access token.
     *
     * @throws IOException when the file exists but cannot be read or is not the JSON Claude Code writes
     */
    public static Optional<Found> read(Path file) throws IOException {
        return SignInFile.read(file, bytes -> JSON.readValue(bytes, Object.class)).map(s -> new Found(file, s));
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
            SignInFile.SignIn signIn = found.get().signIn();
            if (!found.get().usableAt(now)) {
                return Check.warn(name, file.get() + ": its access token expired at " + signIn.expiresAt()
                        + " and it holds no refresh token", "sign in again on the host: run claude, then /login");
            }
            return Check.ok(name, file.get() + (signIn.refreshToken().isPresent()
                    ? ", refreshed by the gateway of each bottle that uses it" : ", its access token good until "
                    + signIn.expiresAt() + " (it cannot be refreshed)"));
        } catch (IOException e) {
            return Check.warn(name, e.getMessage(), "sign in again on the host: run claude, then /login");
        }
    }
}
