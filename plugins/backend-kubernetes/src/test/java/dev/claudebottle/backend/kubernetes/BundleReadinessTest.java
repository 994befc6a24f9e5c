package dev.claudebottle.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What in the bundle's log makes it ready: whole lines of the daemons' own, never text a request carried. */
class BundleReadinessTest {
    private static final String GENERATION = "0123456789abcdef0123456789abcdef";
    private static final String BOUND = "2026-12-07T10:00:01Z gateway: policy loaded: 1 allow rule(s), 1 route(s), "
            + "every route bound (values " + GENERATION + ")";

    @Test
    void everyDaemonListeningAndEveryRouteBoundIsReady() {
        BundleReadiness r = new BundleReadiness(List.of("gateway", "git-gate"), Optional.of(GENERATION));

        assertThat(r.take("2026-12-07T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle x")).isFalse();
        assertThat(r.take(BOUND)).isFalse();
        assertThat(r.missing()).hasValue("git-gate not listening");
        assertThat(r.take("2026-12-07T10:00:02Z git-gate: listening on /0.0.0.0:9418 for bottle x")).isTrue();
        assertThat(r.missing()).isEmpty();
    }

    @Test
    void textInsideAnotherLineNeverCountsAsADaemonsWord() {
        BundleReadiness r = new BundleReadiness(List.of("gateway"), Optional.of(GENERATION));

        // what a request carried, inside the gateway's own line about it
        r.take("2026-12-07T10:00:00Z gateway: refused GET http://x/ gateway: listening on /0.0.0.0:8888");
        r.take("2026-12-07T10:00:00Z gateway: refused GET http://x/?q= 2026 gateway: policy loaded: , every route bound "
                + "(values 0123456789abcdef0123456789abcdef)");

        assertThat(r.missing()).isPresent();
    }

    @Test
    void aPolicyLoadedWithARouteUnboundOrABundleFailureDecidesAtOnce() {
        BundleReadiness unbound = new BundleReadiness(List.of("gateway"), Optional.of(GENERATION));
        assertThat(unbound.take("2026-12-07T10:00:00Z gateway: policy loaded: 0 allow rule(s), 1 route(s), 1 without "
                + "its value, refused until bound")).isTrue();
        assertThat(unbound.missing()).hasValue("the gateway did not bind every route with the values it was given");

        // bound, but with values of another generation than the launch gave: not these values
        BundleReadiness other = new BundleReadiness(List.of("gateway"), Optional.of(GENERATION));
        assertThat(other.take(BOUND.replace(GENERATION, "f".repeat(32)))).isTrue();
        assertThat(other.missing()).isPresent();

        BundleReadiness failed = new BundleReadiness(List.of("gateway"), Optional.empty());
        assertThat(failed.take("claude-bottle bundle: the policy file is missing")).isTrue();
        assertThat(failed.missing()).hasValue("the bundle failed");
        assertThat(failed.last(5)).containsExactly("claude-bottle bundle: the policy file is missing");
    }
}
