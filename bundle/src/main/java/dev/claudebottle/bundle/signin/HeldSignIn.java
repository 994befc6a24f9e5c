package dev.claudebottle.bundle.signin;

import dev.claudebottle.contract.SignInFile.SignIn;
import dev.claudebottle.spi.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the keeper holds at one moment, immutable so callers read it without a lock: the sign-in,
 * whether the upstream refused its access token, why it is lost if it is, the file's stamp when last
 * read, the time of the last refresh, and the tokens of the last generations for the tripwire.
 *
 * @param signIn      the sign-in in use
 * @param refused     whether the upstream refused its access token
 * @param lost        the message for a person when no token is to be had until the file changes
 * @param seen        the credentials file's stamp when the keeper last read it
 * @param lastRefresh when the keeper last tried a refresh ({@link Instant#MIN} before the first)
 * @param generation  counts every change of sign-in
 * @param known       the real tokens of this and the last few generations, newest first
 */
record HeldSignIn(SignIn signIn, boolean refused, Optional<String> lost, FileStamp seen, Instant lastRefresh,
                  long generation, List<Secret> known) {
    /** Tokens kept for the tripwire: this generation and the three before it, access and refresh each. */
    private static final int KNOWN = 8;

    /** Requires every part and copies the tokens. */
    HeldSignIn {
        Objects.requireNonNull(signIn, "signIn");
        Objects.requireNonNull(lost, "lost");
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(lastRefresh, "lastRefresh");
        known = List.copyOf(known);
    }

    /** The first holding: {@code signIn} as read from a file with stamp {@code seen}. */
    static HeldSignIn first(SignIn signIn, FileStamp seen) {
        return new HeldSignIn(signIn, false, Optional.empty(), seen, Instant.MIN, 0, tokens(signIn));
    }

    /** The access token. */
    Secret access() {
        return signIn.accessToken();
    }

    /** Whether its access token may be sent at {@code now}: not refused, not lost, not expired. */
    boolean usable(Instant now) {
        return !refused && lost.isEmpty() && signIn.liveAt(now);
    }

    /** Whether it is usable and stays so beyond {@code margin} from {@code now}. */
    boolean fresh(Instant now, Duration margin) {
        return usable(now) && signIn.expiresAt().minus(margin).isAfter(now);
    }

    /**
     * Whether a refresh is due at {@code now}: its token was refused or expired, or it expires within
     * {@code margin} and no refresh was tried within {@code floor}.
     */
    boolean wantsRefresh(Instant now, Duration margin, Duration floor) {
        if (lost.isPresent()) {
            return false;
        }
        if (!usable(now)) {
            return true;
        }
        return !fresh(now, margin) && !lastRefresh.plus(floor).isAfter(now);
    }

    /** The next generation: {@code next} in use, nothing refused or lost. */
    HeldSignIn moveTo(SignIn next) {
        List<Secret> tokens = tokens(next);
        known.stream().filter(t -> !tokens.contains(t)).forEach(tokens::add);
        return new HeldSignIn(next, false, Optional.empty(), seen, lastRefresh, generation + 1,
                tokens.subList(0, Math.min(KNOWN, tokens.size())));
    }

    /** The same with its access token refused. */
    HeldSignIn refusedNow() {
        return new HeldSignIn(signIn, true, lost, seen, lastRefresh, generation, known);
    }

    /** The same with no token to be had, for the reason told in {@code message}. */
    HeldSignIn lostFor(String message) {
        return new HeldSignIn(signIn, refused, Optional.of(message), seen, lastRefresh, generation, known);
    }

    /** The same with the file last read at {@code stamp}. */
    HeldSignIn seenAt(FileStamp stamp) {
        return new HeldSignIn(signIn, refused, lost, stamp, lastRefresh, generation, known);
    }

    /** The same with a refresh tried at {@code when}. */
    HeldSignIn refreshedAt(Instant when) {
        return new HeldSignIn(signIn, refused, lost, seen, when, generation, known);
    }

    private static List<Secret> tokens(SignIn signIn) {
        List<Secret> tokens = new ArrayList<>();
        tokens.add(signIn.accessToken());
        signIn.refreshToken().ifPresent(tokens::add);
        return tokens;
    }
}
