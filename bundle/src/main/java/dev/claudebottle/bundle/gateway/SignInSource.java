package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.bundle.signin.SignInEvent;
import dev.claudebottle.bundle.signin.SignInKeeper;
import dev.claudebottle.bundle.signin.TokenExchange;
import dev.claudebottle.spi.BottleException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where sign-in routes get their credential: one {@link SignInKeeper} for the bundle's life,
 * started when a policy first names a sign-in route, refreshing through the gateway's own egress
 * once the gateway is up, its events written to the record.
 */
public final class SignInSource implements AutoCloseable {
    private final Path folder;
    private final AuditLog audit;
    private final String slug;
    private final CompletableFuture<TokenExchange> endpoint = new CompletableFuture<>();
    private SignInCredential credential;

    /** Keeps the sign-in in {@code folder} once a route asks for it. */
    public SignInSource(Path folder, AuditLog audit, String slug) {
        this.folder = folder;
        this.audit = audit;
        this.slug = slug;
    }

    /** The sign-in routes' credential, the keeper started on first use. */
    synchronized RouteCredential credential() {
        if (credential == null) {
            TokenExchange deferred = (token, scopes) -> endpoint.thenCompose(e -> e.refresh(token, scopes));
            try {
                credential = new SignInCredential(SignInKeeper.start(folder, deferred, Clock.systemUTC(), this::record));
            } catch (IllegalStateException e) {
                throw new BottleException("a route uses the host's Claude sign-in, but " + e.getMessage(),
                        "run claude on the host, then /login, and start the bottle again");
            }
        }
        return credential;
    }

    /** The gateway is up: refreshes go through {@code exchange} from now on. */
    void attach(TokenExchange exchange) {
        endpoint.complete(exchange);
    }

    private void record(SignInEvent event) {
        boolean bad = event.kind() == SignInEvent.Kind.SIGNED_OUT || event.kind() == SignInEvent.Kind.REFRESH_FAILED
                || event.kind() == SignInEvent.Kind.WRITE_BACK_FAILED;
        audit.write(new AuditRecord(Instant.now(), slug, "gateway", "sign-in", "POST", SignInEndpoint.HOST, 443,
                SignInEndpoint.PATH, bad ? "error" : "allow", "sign-in", event.detail(), 0, 0, 0, 0));
    }

    /** The keeper, if a route started it. */
    synchronized Optional<SignInKeeper> keeper() {
        return Optional.ofNullable(credential).map(SignInCredential::keeper);
    }

    @Override
    public synchronized void close() {
        keeper().ifPresent(SignInKeeper::close);
    }
}
