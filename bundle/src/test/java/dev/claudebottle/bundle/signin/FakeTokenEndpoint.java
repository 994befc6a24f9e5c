package dev.claudebottle.bundle.signin;

import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A token endpoint that behaves as the real one: refresh tokens are single-use and rotate, a spent
 * one is refused with invalid_grant (and counted as a reuse), access tokens last a set time; it can
 * fail for a while, or hold its answers until a test lets them go.
 */
final class FakeTokenEndpoint implements TokenExchange {
    static final List<String> SCOPES = List.of("user:inference", "user:profile");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Set<Secret> live = new HashSet<>();
    private final Set<Secret> spent = new HashSet<>();
    private final List<Secret> issued = new ArrayList<>();
    private Duration lifetime = Duration.ofHours(8);
    private int refreshes;
    private int reuses;
    private int calls;
    private int failing;
    private boolean losingAnswers;
    private boolean rotates = true;
    private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private Runnable beforeAnswer = () -> { };
    private int counter;

    /** A pair the endpoint issued: what a sign-in or a refresh gives. */
    record Pair(Secret access, Secret refresh) {
    }

    /** A person signs in: a new family of tokens. */
    synchronized Pair login() {
        Pair pair = new Pair(token("oat01"), token("ort01"));
        live.add(pair.refresh());
        return pair;
    }

    @Override
    public CompletableFuture<Tokens> refresh(Secret refreshToken, List<String> scopes) {
        Runnable before;
        synchronized (this) {
            before = beforeAnswer;
            beforeAnswer = () -> { };
        }
        before.run();
        CompletableFuture<Tokens> answer;
        synchronized (this) {
            calls++;
            answer = answer(refreshToken);
        }
        CompletableFuture<Void> waitFor;
        synchronized (this) {
            waitFor = gate;
        }
        return waitFor.thenCompose(go -> answer);
    }

    private CompletableFuture<Tokens> answer(Secret refreshToken) {
        if (failing > 0) {
            failing--;
            // refused before the request left: the refresh token is still good
            return CompletableFuture.failedFuture(new NotSent("connection reset by peer"));
        }
        if (losingAnswers) {
            // the endpoint rotates the pair, and its answer never arrives
            live.remove(refreshToken);
            spent.add(refreshToken);
            live.add(token("ort01"));
            return CompletableFuture.failedFuture(new IOException("the token endpoint closed the connection unanswered"));
        }
        if (!live.remove(refreshToken)) {
            if (spent.contains(refreshToken)) {
                reuses++;
            }
            // a real endpoint names no token in its refusal, but a careless client might: the keeper must not repeat it
            return CompletableFuture.failedFuture(new RefreshRefused("invalid_grant for " + refreshToken.reveal()));
        }
        refreshes++;
        Secret access = token("oat01");
        Optional<Secret> next = Optional.empty();
        if (rotates) {
            spent.add(refreshToken);
            next = Optional.of(token("ort01"));
            live.add(next.get());
        } else {
            live.add(refreshToken);
        }
        return CompletableFuture.completedFuture(new Tokens(access, next, lifetime, SCOPES));
    }

    private Secret token(String kind) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        Secret token = Secret.of(String.format("sk-ant-%s-%06d-%s", kind, ++counter, HexFormat.of().formatHex(bytes)));
        issued.add(token);
        return token;
    }

    /** Refreshes that succeeded. */
    synchronized int refreshes() {
        return refreshes;
    }

    /** Spent refresh tokens sent again. */
    synchronized int reuses() {
        return reuses;
    }

    /** Every refresh asked for, whatever its answer. */
    synchronized int calls() {
        return calls;
    }

    /** Whether {@code refresh} is the live refresh token of a family. */
    synchronized boolean accepts(Secret refresh) {
        return live.contains(refresh);
    }

    /** Every token value it ever issued. */
    synchronized List<Secret> issued() {
        return List.copyOf(issued);
    }

    /** New access tokens last {@code time}. */
    synchronized void lifetime(Duration time) {
        lifetime = time;
    }

    /** The next {@code times} refreshes fail as a dropped connection does. */
    synchronized void failNext(int times) {
        failing = times;
    }

    /** From now on the endpoint rotates each pair and its answer is lost on the way back (or not). */
    synchronized void loseAnswers(boolean lose) {
        losingAnswers = lose;
    }

    /** Refreshes keep the refresh token instead of rotating it. */
    synchronized void keepRefreshTokens() {
        rotates = false;
    }

    /** Every family is revoked: every refresh token is refused from now on, none counted as a reuse. */
    synchronized void revokeAll() {
        live.clear();
    }

    /** Answers wait until the future returned is completed. */
    synchronized CompletableFuture<Void> holdAnswers() {
        gate = new CompletableFuture<>();
        return gate;
    }

    /** The next refresh first runs {@code action}, as another party racing it would. */
    synchronized void beforeNextAnswer(Runnable action) {
        beforeAnswer = action;
    }
}
