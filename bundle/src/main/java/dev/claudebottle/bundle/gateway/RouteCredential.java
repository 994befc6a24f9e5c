package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.Secret;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a route's header value comes from: a value the bundle env gave, fixed until the policy is
 * loaded again, none yet ({@link #unbound}), or a sign-in the gateway keeps and refreshes
 * ({@link SignInCredential}).
 */
public interface RouteCredential {
    /** The header value to send now: complete at once unless it is being refreshed. */
    CompletableFuture<Secret> value();

    /** The route's upstream refused {@code sent} as a credential (HTTP 401). */
    default void refused(Secret sent) {
    }

    /** Every real value that may be in use now, in the forms it is sent in, for the tripwire to look for. */
    List<Secret> known();

    /** Changes whenever {@link #known()} does, so that what is derived from it can be kept until then. */
    default long generation() {
        return 0;
    }

    /** Whether a value is there to send; an unbound route's requests are refused. */
    default boolean bound() {
        return true;
    }

    /**
     * A route whose value the bundle has not been given (yet: a warm bottle is given its values when
     * it is claimed): every request on it is refused, never sent without its value.
     */
    static RouteCredential unbound(String variable) {
        CompletableFuture<Secret> refused = CompletableFuture.failedFuture(new CredentialUnbound(
                "the bottle's value for this route (" + variable + ") has not been bound"));
        return new RouteCredential() {
            @Override
            public CompletableFuture<Secret> value() {
                return refused;
            }

            @Override
            public List<Secret> known() {
                return List.of();
            }

            @Override
            public boolean bound() {
                return false;
            }

            @Override
            public String toString() {
                return "unbound credential " + variable;
            }
        };
    }

    /** A value that never changes. */
    static RouteCredential fixed(Secret value) {
        CompletableFuture<Secret> ready = CompletableFuture.completedFuture(value);
        return new RouteCredential() {
            @Override
            public CompletableFuture<Secret> value() {
                return ready;
            }

            @Override
            public List<Secret> known() {
                return List.of(value);
            }

            @Override
            public String toString() {
                return "fixed credential ***";
            }
        };
    }
}
