package dev.claudebottle.bundle.signin;

import dev.claudebottle.contract.SignInFile.SignIn;
import dev.claudebottle.spi.Secret;
import java.util.HashSet;
import java.util.Set;

/**
 * Every token the keeper has left behind: refresh tokens it spent or saw refused and tokens it held
 * before a newer pair came. A refresh token among them is never sent again and a file holding one is
 * older than what the keeper holds, so the keeper's sign-in only moves forward. Kept on the keeper's
 * thread only; a few hundred bytes a refresh, so it is never trimmed.
 */
final class PastTokens {
    private final Set<Secret> refresh = new HashSet<>();
    private final Set<Secret> access = new HashSet<>();

    /** The refresh token {@code sent} was used up (exchanged for a new one, or refused). */
    void spend(Secret sent) {
        refresh.add(sent);
    }

    /** {@code old} gave way to {@code next}: whatever of it {@code next} does not hold is past. */
    void leave(SignIn old, SignIn next) {
        if (!old.accessToken().equals(next.accessToken())) {
            access.add(old.accessToken());
        }
        old.refreshToken().filter(r -> !next.refreshToken().equals(old.refreshToken())).ifPresent(refresh::add);
    }

    /** Whether {@code token} is a refresh token that must never be sent. */
    boolean spent(Secret token) {
        return refresh.contains(token);
    }

    /** Whether {@code found} in the file is older than the keeper's own: it holds a token the keeper left behind. */
    boolean behind(SignIn found) {
        return access.contains(found.accessToken()) || found.refreshToken().map(refresh::contains).orElse(false);
    }
}
