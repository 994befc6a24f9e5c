package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.trust.EncodedViews;
import dev.claudebottle.contract.CredentialForms;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.manifest.HostPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Catches credentials on their way somewhere else: a route's placeholder or real value in a
 * request to any host other than the route's own. It reads the text as DLP does, as it is and
 * decoded ({@link EncodedViews}), and looks in each reading for the value's encoded forms too
 * ({@link EncodedForms}), so a value dressed in base64, hex or layers of percent-encoding is caught
 * as it is undressed. A real value is looked for in each form it can leak in ({@link CredentialForms}):
 * a {@code Bearer} value's token alone too. The result names the route, never the value.
 */
public final class Tripwire {
    private final List<Watched> watched;

    /** One route's values, in every form they are looked for in; a credential that changes is read anew when it did. */
    private static final class Watched {
        private final HostPattern host;
        private final EncodedForms placeholder;
        private final RouteCredential credential;
        private volatile Forms forms;

        Watched(HostPattern host, EncodedForms placeholder, RouteCredential credential) {
            this.host = host;
            this.placeholder = placeholder;
            this.credential = credential;
        }

        EncodedForms value() {
            Forms held = forms;
            long generation = credential.generation();
            if (held == null || held.generation() != generation) {
                List<String> all = new ArrayList<>();
                credential.known().forEach(v -> all.addAll(CredentialForms.of(v.reveal())));
                held = new Forms(generation, EncodedForms.ofEach(all));
                forms = held;
            }
            return held.forms();
        }
    }

    /** The forms of a credential's values at one generation. */
    private record Forms(long generation, EncodedForms forms) {
    }

    /** Watches the values of these routes. */
    public Tripwire(List<GatewayPolicy.Route> routes) {
        List<Watched> all = new ArrayList<>();
        for (GatewayPolicy.Route r : routes) {
            List<String> placeholders = new ArrayList<>();
            r.placeholder().ifPresent(placeholders::add);
            if (r.signIn()) {
                // the guest's refresh token is a placeholder of the route too
                placeholders.add(SignInFile.REFRESH_SENTINEL);
            }
            all.add(new Watched(r.host(), EncodedForms.ofEach(placeholders), r.credential()));
        }
        this.watched = List.copyOf(all);
    }

    /** Why {@code text}, bound for {@code host}, trips the wire, if it does. */
    public Optional<String> check(CharSequence text, String host) {
        if (text == null || text.length() == 0) {
            return Optional.empty();
        }
        List<Watched> elsewhere = watched.stream().filter(w -> !w.host.matches(host)).toList();
        if (elsewhere.isEmpty()) {
            // traffic to a route's own host, or a bottle without routes: nothing to decode for
            return Optional.empty();
        }
        for (String view : EncodedViews.of(text.toString())) {
            for (Watched w : elsewhere) {
                if (w.placeholder.in(view)) {
                    return Optional.of("the placeholder of the " + w.host + " credential was sent to " + host);
                }
                if (w.value().in(view)) {
                    return Optional.of("the " + w.host + " credential was sent to " + host);
                }
            }
        }
        return Optional.empty();
    }
}
