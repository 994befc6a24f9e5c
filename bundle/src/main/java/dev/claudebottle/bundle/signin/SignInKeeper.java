package dev.claudebottle.bundle.signin;

import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Keeps the live sign-in of one bundle: its tokens in memory, refreshed ahead of expiry (and when
 * the upstream refuses the access token) under the lock every party using the sign-in honours,
 * and written back to the host's file, so that one token family serves the host's own Claude Code
 * and every bottle at once. A newer pair another party wrote is adopted, never refreshed over; a
 * refresh token once sent is never sent again. Blocking work runs on the keeper's own thread;
 * callers get futures.
 */
public final class SignInKeeper implements AutoCloseable {
    /** How long before expiry a refresh starts. */
    static final Duration MARGIN = Duration.ofMinutes(5);
    /**
     * The upstream's refusals make a refresh at most this often at first, twice as far apart after
     * each (up to {@link #REFUSAL_CEILING}), so a guest that makes the API refuse the token again and
     * again costs the sign-in a handful of refreshes a day.
     */
    private static final Duration REFUSAL_FLOOR = Duration.ofMinutes(1);
    private static final Duration REFUSAL_CEILING = Duration.ofHours(8);
    /** A refresh that failed is not started again for a request this soon after. */
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(10);
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(90);
    private static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WATCH = Duration.ofSeconds(5);
    private static final int TRIES = 4;
    private static final int KNOWN = 6;
    private static final String SIGN_IN_AGAIN = "run claude on the host, then /login; running bottles pick the new "
            + "sign-in up";

    /** The sign-in held, when its file was last seen to change, and whether the upstream refused its access token. */
    private record Held(SignInFile.SignIn signIn, Optional<FileTime> seen, Duration margin, boolean refused) {
    }

    private final SignInStore store;
    private final TokenExchange exchange;
    private final Clock clock;
    private final Consumer<SignInEvent> events;
    private final Sleeper sleeper;
    private final Duration margin;
    private final ScheduledExecutorService thread;
    private final ScheduledExecutorService timer;
    private final Set<String> spent = new HashSet<>();
    private final Deque<Secret> known = new ArrayDeque<>();
    private volatile Held held;
    private volatile long generation;
    private volatile Optional<String> signedOut = Optional.empty();
    private volatile Instant failedAt = Instant.MIN;
    private Instant refusedAt = Instant.MIN;
    private Duration refusalGap = REFUSAL_FLOOR;
    private volatile String lastFailure = "";
    /** A refreshed pair the host's file does not hold yet, with the refresh token it replaces there. */
    private Optional<Unsaved> unsaved = Optional.empty();

    private record Unsaved(Secret replaced, SignInFile.SignIn pair) {
    }
    private CompletableFuture<Secret> pending;

    SignInKeeper(Path folder, TokenExchange exchange, Clock clock, Consumer<SignInEvent> events, Sleeper sleeper,
                 Duration margin) {
        this.store = new SignInStore(folder);
        this.exchange = exchange;
        this.clock = clock;
        this.events = events;
        this.sleeper = sleeper;
        this.margin = margin;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sign-in"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sign-in-locks"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts keeping the sign-in in {@code folder}; refreshes at once, in the background, when its
     * access token is expired or near expiry.
     *
     * @throws IllegalStateException when the folder's file holds no sign-in, naming the file only
     */
    public static SignInKeeper start(Path folder, TokenExchange exchange, Clock clock, Consumer<SignInEvent> events) {
        return start(folder, exchange, clock, events, Sleeper.REAL, MARGIN);
    }

    static SignInKeeper start(Path folder, TokenExchange exchange, Clock clock, Consumer<SignInEvent> events,
                              Sleeper sleeper, Duration margin) {
        SignInKeeper keeper = new SignInKeeper(folder, exchange, clock, events, sleeper, margin);
        Optional<FileTime> seen = keeper.store.changed();
        SignInFile.SignIn signIn;
        try {
            signIn = keeper.store.read().orElseThrow(() -> new IllegalStateException(folder.resolve(SignInFile.NAME)
                    + " holds no Claude sign-in"));
        } catch (IOException e) {
            keeper.close();
            throw new IllegalStateException(e.getMessage());
        }
        keeper.hold(signIn, seen);
        keeper.thread.scheduleWithFixedDelay(keeper::watch, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
        if (!keeper.good(keeper.held)) {
            keeper.refresh();
        }
        return keeper;
    }

    /**
     * The access token to send now: complete at once while the held one is good; otherwise when a
     * refresh (or adopting a newer file) ends; failed with {@link SignInUnavailable} when none can be
     * had. Never blocks.
     */
    public CompletableFuture<Secret> accessToken() {
        Held h = held;
        if (signedOut.isPresent()) {
            return CompletableFuture.failedFuture(new SignInUnavailable(signedOut.get()));
        }
        if (good(h)) {
            return CompletableFuture.completedFuture(h.signIn().accessToken());
        }
        if (!h.refused() && h.signIn().liveAt(clock.instant())) {
            // near expiry: this request goes with the token it has, the next ones with the new one
            refresh();
            return CompletableFuture.completedFuture(h.signIn().accessToken());
        }
        return refresh();
    }

    /** The upstream refused {@code sent}: unless another token is held already, or a refusal made a refresh a moment ago, it is refreshed. */
    public void refused(Secret sent) {
        synchronized (this) {
            Held h = held;
            if (h.refused() || !h.signIn().accessToken().reveal().equals(sent.reveal())
                    || refusedAt.plus(refusalGap).isAfter(clock.instant())) {
                return;
            }
            if (!refusedAt.equals(Instant.MIN)) {
                refusalGap = refusalGap.multipliedBy(2).compareTo(REFUSAL_CEILING) > 0 ? REFUSAL_CEILING
                        : refusalGap.multipliedBy(2);
            }
            refusedAt = clock.instant();
            held = new Held(h.signIn(), h.seen(), h.margin(), true);
        }
        refresh();
    }

    /**
     * The guest asked to refresh: complete once a good token is held. Only a refused or expiring
     * token is refreshed for it, so a guest asking in a loop refreshes nothing more.
     */
    public CompletableFuture<Void> guestRefresh() {
        if (signedOut.isPresent()) {
            return CompletableFuture.failedFuture(new SignInUnavailable(signedOut.get()));
        }
        return (good(held) ? CompletableFuture.completedFuture(held.signIn().accessToken()) : refresh())
                .thenApply(t -> null);
    }

    /** Every real token held now or in the last few generations, access and refresh tokens both. */
    public synchronized List<Secret> known() {
        return List.copyOf(known);
    }

    /** Changes whenever {@link #known()} does. */
    public long generation() {
        return generation;
    }

    /** The scopes the held sign-in has. */
    public List<String> scopes() {
        return held.signIn().scopes();
    }

    private boolean good(Held h) {
        return !h.refused() && h.signIn().expiresAt().isAfter(clock.instant().plus(h.margin()));
    }

    private void hold(SignInFile.SignIn signIn, Optional<FileTime> seen) {
        hold(signIn, seen, margin);
    }

    /** Holds {@code signIn}, to be refreshed {@code ahead} of its expiry. */
    private synchronized void hold(SignInFile.SignIn signIn, Optional<FileTime> seen, Duration ahead) {
        held = new Held(signIn, seen, ahead, false);
        remember(signIn.accessToken());
        signIn.refreshToken().ifPresent(this::remember);
        generation++;
    }

    private void remember(Secret token) {
        if (known.stream().noneMatch(k -> k.reveal().equals(token.reveal()))) {
            known.addFirst(token);
            while (known.size() > KNOWN) {
                known.removeLast();
            }
        }
    }

    /** Starts a refresh unless one is under way; the future completes with the access token it leaves held. */
    private synchronized CompletableFuture<Secret> refresh() {
        if (pending == null && failedAt.plus(FAILURE_PAUSE).isAfter(clock.instant())) {
            return CompletableFuture.failedFuture(new SignInUnavailable(lastFailure));
        }
        if (pending == null) {
            CompletableFuture<Secret> started = new CompletableFuture<>();
            pending = started;
            thread.execute(() -> run(started));
        }
        return pending;
    }

    private void run(CompletableFuture<Secret> result) {
        try {
            result.complete(withRetries());
        } catch (SignInUnavailable e) {
            result.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new SignInUnavailable("the gateway is stopping"));
        } catch (RuntimeException e) {
            result.completeExceptionally(new SignInUnavailable("the host's Claude sign-in could not be refreshed: "
                    + e.getClass().getSimpleName()));
        } finally {
            synchronized (this) {
                pending = null;
            }
        }
    }

    private Secret withRetries() throws SignInUnavailable, InterruptedException {
        String why = "";
        for (int attempt = 0; attempt < TRIES; attempt++) {
            if (attempt > 0) {
                sleeper.sleep(Duration.ofSeconds(1L << (attempt - 1)));
            }
            try {
                return refreshOnce();
            } catch (IOException e) {
                why = e.getMessage();
            }
        }
        events.accept(new SignInEvent(SignInEvent.Kind.REFRESH_FAILED, "the sign-in could not be refreshed after "
                + TRIES + " tries: " + why));
        throw failed("the host's Claude sign-in could not be refreshed (" + why + "); the gateway tries again "
                + "shortly");
    }

    /** One refresh under the refresh lock; an {@link IOException} is worth another try. */
    private Secret refreshOnce() throws IOException, SignInUnavailable, InterruptedException {
        try (FolderLock lock = FolderLock.take(store.folder(), FolderLock.REFRESH, LOCK_PATIENCE, sleeper, timer)) {
            Optional<Secret> adopted = adoptNewer("another process refreshed it");
            if (adopted.isPresent() && good(held)) {
                return adopted.get();
            }
            SignInFile.SignIn current = held.signIn();
            Secret refreshToken = current.refreshToken().filter(r -> !spent.contains(r.reveal())).orElseThrow(() ->
                    unavailable("the host's Claude sign-in expired and cannot be refreshed: " + SIGN_IN_AGAIN));
            TokenExchange.Tokens tokens;
            // spent from the moment it may have left: a refresh whose answer was lost is never sent again
            spent.add(refreshToken.reveal());
            try {
                tokens = exchange.refresh(refreshToken, current.scopes())
                        .get(EXCHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RefreshRefused refused) {
                    return afterRefusal(refused);
                }
                if (cause instanceof NotSent notSent) {
                    spent.remove(refreshToken.reveal());
                    throw notSent;
                }
                String why = cause instanceof TimeoutException ? "no answer within " + EXCHANGE_TIMEOUT.toSeconds()
                        + "s" : String.valueOf(cause.getMessage());
                events.accept(new SignInEvent(SignInEvent.Kind.REFRESH_FAILED, "a refresh's answer was lost (" + why
                        + "); its refresh token may be spent, so it is not sent again"));
                throw failed("the host's Claude sign-in could not be refreshed (" + why + "); bottles take the "
                        + "host's next refresh: run claude on the host, and /login if it asks");
            }
            SignInFile.SignIn next = current.refreshed(tokens.accessToken(), tokens.refreshToken(),
                    clock.instant().plus(tokens.expiresIn()), tokens.scopes());
            // a short-lived token is refreshed a quarter of its life ahead, a long one the usual margin ahead
            Duration ahead = tokens.expiresIn().dividedBy(4).compareTo(margin) < 0 ? tokens.expiresIn().dividedBy(4)
                    : margin;
            if (!held.refused()) {
                synchronized (this) {
                    refusalGap = REFUSAL_FLOOR;
                }
            }
            hold(next, held.seen(), ahead);
            writeBack(refreshToken, next);
            events.accept(new SignInEvent(SignInEvent.Kind.REFRESHED, "refreshed the host's Claude sign-in; its access "
                    + "token is good until " + next.expiresAt()));
            return next.accessToken();
        }
    }

    /** The endpoint refused the held refresh token: a newer pair another party wrote is taken, else the sign-in is gone. */
    private Secret afterRefusal(RefreshRefused refused) throws IOException, SignInUnavailable {
        Optional<Secret> adopted = adoptNewer("the endpoint refused the held one; another process had refreshed it");
        if (adopted.isPresent()) {
            return adopted.get();
        }
        String why = "the host's Claude sign-in was refused (" + refused.getMessage() + "): " + SIGN_IN_AGAIN;
        signedOut = Optional.of(why);
        events.accept(new SignInEvent(SignInEvent.Kind.SIGNED_OUT, why));
        throw new SignInUnavailable(why);
    }

    /** Takes the file's sign-in when it holds another refresh token than the keeper's; returns its access token then. */
    private Optional<Secret> adoptNewer(String why) throws IOException {
        Optional<FileTime> seen = store.changed();
        Optional<SignInFile.SignIn> onDisk = store.read();
        if (onDisk.isEmpty() || onDisk.get().refreshToken().isEmpty()
                || sameRefresh(onDisk.get(), held.signIn())
                || spent.contains(onDisk.get().refreshToken().get().reveal())) {
            held = new Held(held.signIn(), seen, held.margin(), held.refused());
            return Optional.empty();
        }
        hold(onDisk.get(), seen);
        signedOut = Optional.empty();
        events.accept(new SignInEvent(SignInEvent.Kind.ADOPTED, "took the newer sign-in in the host's file: " + why));
        return Optional.of(onDisk.get().accessToken());
    }

    private static boolean sameRefresh(SignInFile.SignIn a, SignInFile.SignIn b) {
        return a.refreshToken().map(Secret::reveal).equals(b.refreshToken().map(Secret::reveal));
    }

    /**
     * Writes the new pair to the host's file if it still holds the refresh token just spent; one that
     * could not be written is tried again every few seconds, as it is the family's only live copy.
     */
    private void writeBack(Secret sent, SignInFile.SignIn next) throws InterruptedException {
        unsaved = Optional.of(new Unsaved(sent, next));
        try (FolderLock lock = FolderLock.take(store.folder(), FolderLock.WRITE, Duration.ofSeconds(10), sleeper,
                timer)) {
            if (store.replace(sent, next)) {
                held = new Held(held.signIn(), store.changed(), held.margin(), held.refused());
            } else {
                events.accept(new SignInEvent(SignInEvent.Kind.WRITE_BACK_FAILED, "the host's file no longer holds "
                        + "the sign-in that was refreshed (the person signed in anew?): it is left as it is"));
            }
            unsaved = Optional.empty();
        } catch (IOException | RuntimeException e) {
            events.accept(new SignInEvent(SignInEvent.Kind.WRITE_BACK_FAILED, "the refreshed sign-in could not be "
                    + "written back to the host's file yet (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); it is tried again"));
        }
    }

    /** Every few seconds: a file another party changed is adopted, and a token near expiry refreshed ahead of use. */
    private void watch() {
        try {
            if (unsaved.isPresent()) {
                writeBack(unsaved.get().replaced(), unsaved.get().pair());
            }
            Optional<FileTime> seen = store.changed();
            if (!seen.equals(held.seen())) {
                synchronized (this) {
                    if (pending != null) {
                        return;
                    }
                }
                adoptNewer("the host's file changed");
            }
            // after a failure, ahead-of-use refreshes pause for a minute; requests still ask for one
            if (!good(held) && signedOut.isEmpty() && held.signIn().refreshToken().isPresent()
                    && failedAt.plus(REFUSAL_FLOOR).isBefore(clock.instant())) {
                refresh();
            }
        } catch (IOException | RuntimeException e) {
            // the next look tries again; a refresh reports what fails
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SignInUnavailable unavailable(String why) {
        return new SignInUnavailable(why);
    }

    /** A failure that pauses refreshes for a moment: requests meanwhile get it at once. */
    private SignInUnavailable failed(String why) {
        lastFailure = why;
        failedAt = clock.instant();
        return new SignInUnavailable(why);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "SignInKeeper[" + store.folder() + "]";
    }
}
