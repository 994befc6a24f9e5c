package dev.claudebottle.bundle.signin;

import dev.claudebottle.bundle.signin.SignInEvent.Kind;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.contract.SignInFile.SignIn;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The keeper thread's work: brings what the keeper holds to a token it may hand out, by adopting a
 * newer sign-in from the host's file or by refreshing under the refresh lock every party honours,
 * and writes a refreshed pair back only over the pair it replaced. Runs on the keeper's one thread.
 */
final class SignInRenewal {
    /** What a token looks like, so a reason quoted from elsewhere never carries one into a message. */
    private static final Pattern TOKEN = Pattern.compile("sk-ant-[A-Za-z0-9_-]+");
    /** A refusal may bring a newer file, and that one a refusal: a few rounds, then it is a passing failure. */
    private static final int ROUNDS = 3;
    private static final String LOGIN = "run claude on the host, then /login";
    private final CredentialsFile file;
    private final AtomicReference<HeldSignIn> held;
    private final TokenExchange exchange;
    private final Clock clock;
    private final KeeperTimes times;
    private final Sleeper sleeper;
    private final Consumer<SignInEvent> events;
    private final LockDirectory refreshLock;
    private final LockDirectory writeLock;
    private final PastTokens past = new PastTokens();
    private Optional<Owed> owed = Optional.empty();
    /**
     * How many more times a refreshed pair is tried to be written back while the refresh lock is
     * still held: each try waits out the write lock's stale time, so a lock its holder left is taken over.
     */
    private static final int WRITE_BACK_AGAIN = 2;
    /** A stop that came while a refresh token was out: honoured once its answer is written back. */
    private boolean interruptedMeanwhile;

    /** A refreshed pair the file does not hold yet, and the refresh token it replaces there. */
    private record Owed(Secret sent, SignIn signIn) {
    }

    SignInRenewal(CredentialsFile file, AtomicReference<HeldSignIn> held, TokenExchange exchange, Clock clock,
                  KeeperTimes times, Sleeper sleeper, Consumer<SignInEvent> events) {
        this.file = file;
        this.held = held;
        this.exchange = exchange;
        this.clock = clock;
        this.times = times;
        this.sleeper = sleeper;
        this.events = events;
        Path folder = file.path().getParent();
        this.refreshLock = new LockDirectory(folder, times.refreshLock(), Clock.systemUTC());
        this.writeLock = new LockDirectory(folder, times.writeLock(), Clock.systemUTC());
    }

    /** Whether a refreshed pair still waits to be written back. */
    boolean owes() {
        return owed.isPresent();
    }

    /**
     * The token to hand out now: the held one while it is good, else a newer one from the file or
     * from a refresh.
     *
     * @throws SignInUnavailable when there is none to be had; the message is for a person
     */
    Secret settle() throws SignInUnavailable, InterruptedException {
        payOwed();
        look(false);
        HeldSignIn h = held.get();
        Instant now = clock.instant();
        if (h.lost().isPresent()) {
            throw new SignInUnavailable(h.lost().get());
        }
        if (!h.wantsRefresh(now, times.margin(), times.refreshFloor())) {
            return h.access();
        }
        if (h.signIn().refreshToken().isEmpty()) {
            return withoutRefresh(h, now);
        }
        return refreshWithRetries();
    }

    /**
     * Reads the file when its stamp changed since the last read (always, when {@code force}) and
     * adopts the sign-in in it when it is newer than the held one; true when it adopted.
     */
    private boolean look(boolean force) {
        FileStamp stamp = file.stamp();
        HeldSignIn h = held.get();
        if (!force && stamp.equals(h.seen())) {
            return false;
        }
        Optional<SignIn> found;
        try {
            found = file.readSignIn();
        } catch (IOException e) {
            // a file half written in place or not Claude Code's: keep what we hold until it changes again
            found = Optional.empty();
        }
        held.updateAndGet(x -> x.seenAt(stamp));
        if (found.isEmpty() || !newer(found.get(), h.signIn())) {
            return false;
        }
        SignIn next = found.get();
        emit(Kind.ADOPTED, "took the sign-in another party wrote to " + file.path()
                + "; its access token is good until " + next.expiresAt());
        moveTo(h.signIn(), next);
        return true;
    }

    private boolean newer(SignIn found, SignIn mine) {
        boolean same = found.accessToken().equals(mine.accessToken())
                && found.refreshToken().equals(mine.refreshToken());
        return !same && !past.behind(found);
    }

    private void moveTo(SignIn old, SignIn next) {
        past.leave(old, next);
        held.updateAndGet(x -> x.moveTo(next));
    }

    private Secret withoutRefresh(HeldSignIn h, Instant now) throws SignInUnavailable {
        if (h.usable(now)) {
            return h.access();
        }
        String message = "the host's Claude sign-in " + (h.refused() ? "was refused" : "expired")
                + " and holds no refresh token to renew it; " + LOGIN;
        emit(Kind.REFRESH_FAILED, "the sign-in in " + file.path() + " holds no refresh token; waiting for the "
                + "person to sign in again");
        held.updateAndGet(x -> x.lostFor(message));
        throw new SignInUnavailable(message);
    }

    private Secret refreshWithRetries() throws SignInUnavailable, InterruptedException {
        String why;
        int tried = 0;
        while (true) {
            try {
                return refreshOnce();
            } catch (TransientFailure e) {
                why = e.getMessage();
                tried++;
            }
            if (tried > times.backoffs().size()) {
                break;
            }
            sleeper.sleep(times.backoffs().get(tried - 1));
        }
        emit(Kind.REFRESH_FAILED, "could not refresh the host's Claude sign-in in " + tried + " tries: " + why);
        Instant now = clock.instant();
        HeldSignIn h = held.updateAndGet(x -> x.refreshedAt(now));
        if (h.usable(now)) {
            // near expiry but still good: better sent than a failed request
            return h.access();
        }
        throw new SignInUnavailable("the host's Claude sign-in could not be refreshed: " + why
                + "; the next request tries again; if this lasts, " + LOGIN);
    }

    private Secret refreshOnce() throws TransientFailure, SignInUnavailable, InterruptedException {
        look(false);
        if (held.get().fresh(clock.instant(), times.margin())) {
            return held.get().access();
        }
        try (LockDirectory.Hold lock = refreshLock.take(sleeper)) {
            for (int round = 0; round < ROUNDS; round++) {
                // another party may have refreshed while we waited for the lock: its pair is the one to use
                look(true);
                HeldSignIn h = held.get();
                Instant now = clock.instant();
                if (h.lost().isPresent()) {
                    throw new SignInUnavailable(h.lost().get());
                }
                if (h.fresh(now, times.margin())) {
                    return h.access();
                }
                if (h.signIn().refreshToken().isEmpty()) {
                    return withoutRefresh(h, now);
                }
                Secret sent = h.signIn().refreshToken().get();
                if (!lock.stillOurs()) {
                    // paused past the lock's stale time: another party may be refreshing with the same token
                    throw new TransientFailure("the refresh lock was taken over while this bottle held it");
                }
                if (!file.stamp().equals(held.get().seen())) {
                    continue;
                }
                try {
                    if (past.spent(sent)) {
                        throw new RefreshRefused("already used");
                    }
                    return refreshed(h, sent, answer(sent, h.signIn().scopes(), lock), lock);
                } catch (TransientFailure failed) {
                    if (!failed.mayHaveLeft()) {
                        throw failed;
                    }
                    // the endpoint may have rotated the pair: the token is never sent again
                    past.spend(sent);
                    if (!look(true)) {
                        answerLost(failed.getMessage());
                    }
                } catch (RefreshRefused refused) {
                    past.spend(sent);
                    if (!look(true)) {
                        signedOut(refused.getMessage());
                    }
                }
            }
            throw new TransientFailure("the sign-in in " + file.path() + " kept changing while it was refreshed");
        }
    }

    private TokenExchange.Tokens answer(Secret sent, List<String> scopes, LockDirectory.Hold lock)
            throws RefreshRefused, TransientFailure, InterruptedException {
        CompletableFuture<TokenExchange.Tokens> pending;
        try {
            pending = exchange.refresh(sent, scopes);
        } catch (RuntimeException e) {
            throw new TransientFailure("the token exchange failed: " + describe(e));
        }
        long deadline = System.nanoTime() + times.answerWithin().toNanos();
        long step = Math.max(1, lock.touchEvery().toNanos());
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                pending.cancel(true);
                throw new TransientFailure("the token endpoint did not answer within "
                        + times.answerWithin().toSeconds() + " s", true);
            }
            try {
                TokenExchange.Tokens tokens = pending.get(Math.min(left, step), TimeUnit.NANOSECONDS);
                if (tokens == null) {
                    throw new TransientFailure("the token endpoint gave no answer");
                }
                return tokens;
            } catch (InterruptedException stopping) {
                // the token has left: its answer, and writing it back, outlast a stop (the deadline bounds it)
                interruptedMeanwhile = true;
            } catch (TimeoutException stillWaiting) {
                lock.touchIfDue();
            } catch (CancellationException e) {
                throw new TransientFailure("the token exchange was cancelled", true);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                while (cause instanceof CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                if (cause instanceof RefreshRefused refused) {
                    throw refused;
                }
                if (cause instanceof NotSent) {
                    throw new TransientFailure("the token endpoint could not be reached: " + describe(cause));
                }
                throw new TransientFailure("the token endpoint's answer was lost: " + describe(cause), true);
            }
        }
    }

    private Secret refreshed(HeldSignIn h, Secret sent, TokenExchange.Tokens tokens, LockDirectory.Hold lock)
            throws InterruptedException {
        Instant now = clock.instant();
        SignIn next = h.signIn().refreshed(tokens.accessToken(), tokens.refreshToken(),
                expiry(now, tokens), tokens.scopes());
        if (tokens.refreshToken().filter(r -> !r.equals(sent)).isPresent()) {
            past.spend(sent);
        }
        emit(Kind.REFRESHED, "refreshed the host's Claude sign-in; its access token is good until "
                + next.expiresAt());
        moveTo(h.signIn(), next);
        held.updateAndGet(x -> x.refreshedAt(now));
        lock.touchIfDue();
        // under the refresh lock until the file holds the new pair: no other party may read the spent one
        Sleeper patient = d -> {
            try {
                sleeper.sleep(d);
            } catch (InterruptedException stopping) {
                interruptedMeanwhile = true;
            }
        };
        writeBack(sent, next, patient);
        for (int again = 0; again < WRITE_BACK_AGAIN && owed.isPresent() && lock.stillOurs(); again++) {
            lock.touchIfDue();
            patient.sleep(Duration.ofSeconds(1));
            writeBack(sent, next, patient);
        }
        if (interruptedMeanwhile) {
            interruptedMeanwhile = false;
            Thread.currentThread().interrupt();
        }
        return next.accessToken();
    }

    private static Instant expiry(Instant now, TokenExchange.Tokens tokens) {
        try {
            return now.plus(tokens.expiresIn());
        } catch (ArithmeticException | DateTimeException beyond) {
            return Instant.MAX;
        }
    }

    /**
     * A refresh whose answer was lost: its token may be spent, so it is not sent again, and the
     * sign-in waits for the file to change (the host's own next refresh, or a new sign-in).
     */
    private void answerLost(String reason) throws SignInUnavailable {
        String message = "the host's Claude sign-in could not be refreshed (" + clean(reason) + "); its refresh "
                + "token may be spent, so it is not sent again: bottles take the host's next refresh; run claude on "
                + "the host, and /login if it asks";
        emit(Kind.REFRESH_FAILED, "a refresh's answer was lost (" + clean(reason) + "); waiting for "
                + file.path() + " to change");
        held.updateAndGet(x -> x.lostFor(message));
        throw new SignInUnavailable(message);
    }

    private void signedOut(String reason) throws SignInUnavailable {
        String message = "the host's Claude sign-in was refused by its token endpoint (" + clean(reason)
                + "); " + LOGIN;
        emit(Kind.SIGNED_OUT, "the token endpoint refused the host's Claude sign-in (" + clean(reason) + ") and "
                + file.path() + " holds no newer one; waiting for the person to sign in again");
        held.updateAndGet(x -> x.lostFor(message));
        throw new SignInUnavailable(message);
    }

    /**
     * Writes {@code next} to the file under the write lock, only over the pair it replaced
     * ({@code sent}) or an older one this keeper left behind: a sign-in the person made meanwhile wins
     * over ours, and a write-back put off earlier still lands.
     */
    private void writeBack(Secret sent, SignIn next) throws InterruptedException {
        writeBack(sent, next, sleeper);
    }

    private void writeBack(Secret sent, SignIn next, Sleeper waits) throws InterruptedException {
        owed = Optional.empty();
        try (LockDirectory.Hold lock = writeLock.take(waits)) {
            FileStamp stamp = file.stamp();
            Object tree = file.readTree();
            Optional<SignIn> there = file.signIn(tree);
            boolean ours = there.flatMap(SignIn::refreshToken).equals(Optional.of(sent))
                    || there.filter(past::behind).isPresent();
            if (!ours) {
                // the person's new sign-in stays in the file; this bottle goes on with its own pair
                emit(Kind.WRITE_BACK_FAILED, "left " + file.path() + " as it was: it holds "
                        + (there.isEmpty() ? "no sign-in" : "a sign-in this bottle never held")
                        + " now (the person signed out or in anew); this bottle keeps its own");
                held.updateAndGet(x -> x.seenAt(stamp));
                return;
            }
            file.write(SignInFile.withSignIn(tree, next));
            FileStamp written = file.stamp();
            held.updateAndGet(x -> x.seenAt(written));
        } catch (TransientFailure | IOException e) {
            owed = Optional.of(new Owed(sent, next));
            emit(Kind.WRITE_BACK_FAILED, "could not write the refreshed sign-in to " + file.path() + ": "
                    + (e instanceof TransientFailure ? e.getMessage() : describe(e)) + "; trying again shortly");
        }
    }

    private void payOwed() throws InterruptedException {
        if (owed.isEmpty()) {
            return;
        }
        Owed due = owed.get();
        if (held.get().signIn().equals(due.signIn())) {
            writeBack(due.sent(), due.signIn());
        } else {
            owed = Optional.empty();
        }
    }

    private String describe(Throwable e) {
        return clean(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /** One line, no token: a reason quoted from another party may hold anything. */
    private String clean(String text) {
        String out = text == null ? "" : text;
        for (Secret token : held.get().known()) {
            if (!token.isEmpty()) {
                out = out.replace(token.reveal(), "***");
            }
        }
        out = TOKEN.matcher(out).replaceAll("***").replaceAll("\\s+", " ").strip();
        return out.length() > 200 ? out.substring(0, 200) + "…" : out;
    }

    /** Tells the record; called before the change it tells of is visible, so the record never lags what callers see. */
    private void emit(Kind kind, String detail) {
        try {
            events.accept(new SignInEvent(kind, detail));
        } catch (RuntimeException e) {
            // the record's trouble must not stop the sign-in
        }
    }
}
