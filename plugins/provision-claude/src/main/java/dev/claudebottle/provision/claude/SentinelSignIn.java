package dev.claudebottle.provision.claude;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.HostEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The credentials file a guest gets when its bottle uses the host's Claude sign-in: sentinel
 * tokens that never expire, beside the real scopes and subscription, so that Claude Code opens
 * signed in and never refreshes by itself ({@link SignInFile#sentinel}).
 */
final class SentinelSignIn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SentinelSignIn() {
    }

    /** The sentinel file's bytes for the host's sign-in. */
    static byte[] text(HostEnvironment env) throws IOException {
        Path file = SignInFile.folder(env).map(d -> d.resolve(SignInFile.NAME)).orElseThrow(() ->
                new BottleException("the host's Claude sign-in is gone: neither HOME nor CLAUDE_CONFIG_DIR is set"));
        Optional<SignInFile.SignIn> signIn;
        try {
            signIn = SignInFile.read(file, bytes -> JSON.readValue(bytes, Object.class));
        } catch (IOException e) {
            throw new BottleException(e.getMessage(), "sign in again on the host: run claude, then /login");
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(SignInFile.sentinel(signIn.orElseThrow(() ->
                new BottleException(file + " no longer holds a Claude sign-in", "sign in on the host: run claude, "
                        + "then /login"))));
    }
}
