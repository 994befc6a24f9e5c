package dev.claudebottle.bundle.signin;

import dev.claudebottle.contract.SignInFile.SignIn;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps the live sign-in of one bundle: the tokens in memory, refreshed ahead of expiry under the
 * locks every party honours, written back to the host's file. All blocking work (file reads, lock
 * waits, the token exchange) runs on one daemon thread, {@code sign-in}; callers get futures, which
 * complete on that thread, so callers hand heavy work on elsewhere.
 */
public final class SignInKeeper implements AutoCloseable {
    /** The longest a planned pass is put off: a pass with nothing to do costs one stat. */
    private static final Duration LONGEST_PLAN = Duration.ofHours(1);
    /**
     * A refusal makes a refresh at most this often at first, twice as far apart after each (up to
     * {@link #LONGEST_REFUSAL_GAP}): a guest that makes the API refuse the token again and again costs
     * the sign-in a handful of refreshes a day.
     */
    private static final Duration REFUSAL_GAP = Duration.ofMinutes(1);
    private static final Duration LONGEST_REFUSAL_GAP = Duration.ofHours(8);
    /** A pass that failed is not started again for requests this soon after: they get its failure at once. */
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(10);
    private final Refusals refusals = new Refusals();
    private volatile Failed failed;

    /** The last pass's failure, and when. */
    private record Failed(Instant at, SignInUnavailable why) {
    }

    /** When a refusal last made a refresh, and how long the next one is passed over. */
    private static final class Refusals {
        private Instant refusedAt;
        private Duration gap = REFUSAL_GAP;
    }
    private final CredentialsFile file;
    private final AtomicReference<HeldSignIn> held;
    private final Clock clock;
    private final KeeperTimes times;
    private final SignInRenewal renewal;
    private final ScheduledThreadPoolExecutor thread;
    private final Object passes = new Object();
    private final List<CompletableFuture<Secret>> waiting = new ArrayList<>();
    private PassState state = PassState.IDLE;
    private boolean again;
    private volatile boolean closed;
    private ScheduledFuture<?> planned;

    /** Where the keeper's one pass stands; a pass serves every request that came before it ends. */
    private enum PassState { IDLE, QUEUED, RUNNING }

    private SignInKeeper(CredentialsFile file, HeldSignIn first, TokenExchange exchange, Clock clock,
                         Consumer<SignInEvent> events, KeeperTimes times, Sleeper sleeper) {
        this.file = file;
        this.held = new AtomicReference<>(first);
        this.clock = clock;
        this.times = times;
        this.renewal = new SignInRenewal(file, held, exchange, clock, times, sleeper, events);
        this.thread = new ScheduledThreadPoolExecutor(1, work -> {
            Thread t = new Thread(work, "sign-in");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts keeping the sign-in in {@code folder}; fails (IllegalStateException with a one-line
     * message naming the file, never a token) when the file holds no sign-in. Refreshes at once (in
     * the background) when the access token is expired or near expiry.
     */
    public static SignInKeeper start(Path folder, TokenExchange exchange, Clock clock, Consumer<SignInEvent> events) {
        return start(folder, exchange, clock, events, KeeperTimes.DEFAULT, Sleeper.REAL);
    }

    /** As {@link #start(Path, TokenExchange, Clock, Consumer)} with the keeper's times and waits given. */
    static SignInKeeper start(Path folder, TokenExchange exchange, Clock clock, Consumer<SignInEvent> events,
                              KeeperTimes times, Sleeper sleeper) {
        CredentialsFile file = new CredentialsFile(folder);
        FileStamp stamp = file.stamp();
        SignIn signIn;
        try {
            signIn = file.readSignIn().orElseThrow(() -> new IllegalStateException(file.path()
                    + " holds no Claude sign-in; run claude on the host, then /login"));
        } catch (IOException e) {
            throw new IllegalStateException("the Claude sign-in in " + file.path() + " could not be read ("
                    + e.getClass().getSimpleName() + "); run claude on the host, then /login");
        }
        SignInKeeper keeper = new SignInKeeper(file, HeldSignIn.first(signIn, stamp), exchange, clock, events,
                times, sleeper);
        keeper.thread.execute(keeper::plan);
        return keeper;
    }

    /**
     * The access token to send now: already complete while the held one is good (not expiring
     * within the margin, not refused); otherwise completes when a refresh (or adopting a newer file)
     * ends; completes exceptionally with {@link SignInUnavailable} (a one-line message for a person:
     * what happened and "run claude on the host, then /login") when there is none to be had. Never
     * blocks the caller.
     */
    public CompletableFuture<Secret> accessToken() {
        if (closed) {
            return CompletableFuture.failedFuture(stopped());
        }
        HeldSignIn h = held.get();
        // one stat: a file another party changed is read on the keeper's thread before its token is used
        if (file.stamp().equals(h.seen())) {
            if (h.lost().isPresent()) {
                return CompletableFuture.failedFuture(new SignInUnavailable(h.lost().get()));
            }
            if (!h.wantsRefresh(clock.instant(), times.margin(), times.refreshFloor())) {
                return CompletableFuture.completedFuture(h.access());
            }
            // a guest cannot keep the token endpoint busy with requests while it fails
            Failed last = failed;
            if (last != null && last.at().plus(FAILURE_PAUSE).isAfter(clock.instant())
                    && !h.usable(clock.instant())) {
                return CompletableFuture.failedFuture(last.why());
            }
        }
        CompletableFuture<Secret> waiter = new CompletableFuture<>();
        demand(waiter);
        return waiter;
    }

    /**
     * The upstream refused {@code sent} (HTTP 401): unless the keeper already holds another token, it
     * refreshes (once, however many requests report it).
     */
    public void refused(Secret sent) {
        synchronized (refusals) {
            Instant now = clock.instant();
            if (refusals.refusedAt != null && refusals.refusedAt.plus(refusals.gap.multipliedBy(2)).isBefore(now)) {
                // a quiet spell: a refusal now is worth a refresh at once again
                refusals.refusedAt = null;
                refusals.gap = REFUSAL_GAP;
            }
            if (refusals.refusedAt != null && refusals.refusedAt.plus(refusals.gap).isAfter(now)) {
                // the API refused a token this keeper took for a refusal just now: refreshing again would not help
                return;
            }
            while (true) {
                HeldSignIn h = held.get();
                if (h.refused() || h.lost().isPresent() || !h.access().equals(sent)) {
                    return;
                }
                if (held.compareAndSet(h, h.refusedNow())) {
                    refusals.gap = refusals.refusedAt == null ? REFUSAL_GAP
                            : refusals.gap.multipliedBy(2).compareTo(LONGEST_REFUSAL_GAP) > 0 ? LONGEST_REFUSAL_GAP
                            : refusals.gap.multipliedBy(2);
                    refusals.refusedAt = now;
                    demand(null);
                    return;
                }
            }
        }
    }

    /**
     * The guest asked to refresh (its own client saw a 401 or believes its token old): completes when a
     * good token is held; refreshes only if the held one was refused or is within the margin — a guest
     * asking in a loop cannot make the keeper refresh more than once a minute.
     */
    public CompletableFuture<Void> guestRefresh() {
        return accessToken().thenApply(token -> null);
    }

    /**
     * Every real token value held now or in the last few generations (access and refresh tokens),
     * for the tripwire; {@link #generation()} changes whenever this list does.
     */
    public List<Secret> known() {
        return held.get().known();
    }

    /** Counts the changes of sign-in: a refresh or a newer file adopted. */
    public long generation() {
        return held.get().generation();
    }

    /** The scopes the held sign-in has. */
    public List<String> scopes() {
        return held.get().signIn().scopes();
    }

    /** Stops the background work and releases any lock it holds. */
    @Override
    public void close() {
        synchronized (passes) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // an interrupt ends lock waits and the wait for the endpoint; the locks are released on the way out
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<CompletableFuture<Secret>> left;
        synchronized (passes) {
            left = List.copyOf(waiting);
            waiting.clear();
        }
        left.forEach(w -> w.completeExceptionally(stopped()));
    }

    /** Asks for a pass, for {@code waiter} or (when null) because something changed that a running pass may have missed. */
    private void demand(CompletableFuture<Secret> waiter) {
        boolean refused = false;
        synchronized (passes) {
            if (closed) {
                refused = true;
            } else {
                if (waiter != null) {
                    waiting.add(waiter);
                }
                switch (state) {
                    case IDLE -> refused = !queue();
                    case QUEUED -> { }
                    case RUNNING -> again |= waiter == null;
                }
            }
        }
        if (refused && waiter != null) {
            waiter.completeExceptionally(stopped());
        }
    }

    /** Queues a pass; false when the thread has stopped. Called holding {@code passes}. */
    private boolean queue() {
        try {
            thread.execute(this::pass);
            state = PassState.QUEUED;
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    private void pass() {
        synchronized (passes) {
            state = PassState.RUNNING;
            again = false;
        }
        Secret token = null;
        SignInUnavailable failure = null;
        boolean broke = false;
        try {
            token = renewal.settle();
        } catch (SignInUnavailable e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = stopped();
        } catch (RuntimeException e) {
            // counted as a refresh tried, so the plan waits out the floor instead of failing again at once
            Instant now = clock.instant();
            held.updateAndGet(x -> x.refreshedAt(now));
            broke = true;
            failure = new SignInUnavailable("the bottle's sign-in keeper failed (" + e.getClass().getSimpleName()
                    + "); the next request tries again");
        }
        List<CompletableFuture<Secret>> served;
        synchronized (passes) {
            // the held token was refused, or the file changed, after this pass looked: the next pass answers
            // (not after a pass that broke, which may not have got as far as reading the file)
            boolean stale = again || !broke && !file.stamp().equals(held.get().seen());
            if (stale && !closed && queue()) {
                return;
            }
            served = List.copyOf(waiting);
            waiting.clear();
            state = PassState.IDLE;
        }
        failed = failure == null ? null : new Failed(clock.instant(), failure);
        for (CompletableFuture<Secret> waiter : served) {
            if (failure == null) {
                waiter.complete(token);
            } else {
                waiter.completeExceptionally(failure);
            }
        }
        plan();
    }

    /**
     * Plans the next pass for when the held token comes within the margin (or the floor after the last
     * refresh has passed), so an idle bottle's next request finds a good token; sooner when a
     * write-back is owed. Runs on the keeper's thread.
     */
    private void plan() {
        if (closed) {
            return;
        }
        if (planned != null) {
            planned.cancel(false);
            planned = null;
        }
        HeldSignIn h = held.get();
        Instant now = clock.instant();
        Duration delay = LONGEST_PLAN;
        if (h.lost().isEmpty() && h.signIn().refreshToken().isPresent()) {
            Instant due = h.signIn().expiresAt().minus(times.margin());
            Instant floor = h.lastRefresh().plus(times.refreshFloor());
            Instant at = due.isAfter(floor) ? due : floor;
            delay = at.isAfter(now.plus(LONGEST_PLAN)) ? LONGEST_PLAN : Duration.between(now, at);
        }
        if (renewal.owes() && delay.compareTo(times.writeRetry()) > 0) {
            delay = times.writeRetry();
        }
        try {
            planned = thread.schedule(() -> demand(null), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            planned = null;
        }
    }

    private static SignInUnavailable stopped() {
        return new SignInUnavailable("the bottle's sign-in keeper has stopped; restart the bottle");
    }
}
