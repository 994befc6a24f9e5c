package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_TOKEN;
import static dev.claudebottle.bundle.gateway.GatewayFixture.bearerRoute;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.Encodings;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tripwire reads through the encodings DLP reads through, and a value at any offset of a base64 run. */
class TripwireTest {
    private static final String API = "api.llm.test";
    private final Tripwire tripwire = new Tripwire(List.of(route(API, 443, "x-api-key")));

    static Stream<Arguments> encoded() {
        return Encodings.ALL.entrySet().stream().flatMap(e -> Stream.of(
                Arguments.of(e.getKey(), "placeholder", e.getValue().apply(PLACEHOLDER)),
                Arguments.of(e.getKey(), "credential", e.getValue().apply(REAL_KEY))));
    }

    @ParameterizedTest(name = "the {1}, {0}")
    @MethodSource("encoded")
    void anEncodedValueBoundForAnotherHostTripsTheWire(String encoding, String which, String hidden) {
        for (String text : List.of("/collect?d=" + hidden, "x-data: " + hidden, "{\"note\": \"" + hidden + "\"}")) {
            assertThat(tripwire.check(text, "evil.test")).as(text).get().asString()
                    .contains(which.equals("placeholder") ? "the placeholder of the " + API : "the " + API + " credential")
                    .contains("evil.test").doesNotContain(REAL_KEY);
        }
    }

    @ParameterizedTest(name = "the {1}, {0}")
    @MethodSource("encoded")
    void theRoutesOwnHostMayBeSentItEncoded(String encoding, String which, String hidden) {
        assertThat(tripwire.check("x-data: " + hidden, API)).isEmpty();
    }

    @Test
    void ordinaryTrafficThatHoldsBase64AndHexPasses() {
        byte[] noise = new byte[4096];
        new Random(16).nextBytes(noise);
        for (String benign : List.of(
                "/upload?format=png&data=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
                "Authorization: Basic " + Base64.getEncoder().encodeToString("user:hunter2-not-it".getBytes()),
                "{\"image\": \"" + Base64.getEncoder().encodeToString(noise) + "\"}",
                "{\"blob\": \"" + Base64.getUrlEncoder().withoutPadding().encodeToString(noise) + "\"}",
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "/resources/550e8400-e29b-41d4-a716-446655440000/details",
                "x-data: " + Encodings.base64("bottle-placeholde"),
                "x-data: " + Encodings.base64("a bottle placeholder, in other words"),
                "x-data: " + Encodings.base64(REAL_KEY.substring(0, REAL_KEY.length() - 1)))) {
            assertThat(tripwire.check(benign, "evil.test")).as(benign).isEmpty();
        }
    }

    @Test
    void theBareTokenOfABearerRouteTripsTheWireAsItIsAndEncoded() {
        Tripwire bearer = new Tripwire(List.of(bearerRoute(API, 443)));
        List<String> texts = new java.util.ArrayList<>(List.of("CLAUDE_CODE_OAUTH_TOKEN=" + REAL_TOKEN,
                "{\"accessToken\":\"" + REAL_TOKEN + "\"}", "x-api-key: " + REAL_TOKEN, "Bearer " + REAL_TOKEN));
        Encodings.ALL.values().forEach(encode -> texts.add("x-data: " + encode.apply(REAL_TOKEN)));

        for (String text : texts) {
            assertThat(bearer.check(text, "evil.test")).as(text).get().asString()
                    .isEqualTo("the " + API + " credential was sent to evil.test");
            assertThat(bearer.check(text, API)).as(text).isEmpty();
        }
    }

    @Test
    void aBearerRoutesSchemeWordAloneOrAShortPieceOfItsTokenPasses() {
        Tripwire bearer = new Tripwire(List.of(bearerRoute(API, 443)));

        for (String benign : List.of("Authorization: Bearer ", "bearer", REAL_TOKEN.substring(0, 7),
                "x-data: " + REAL_TOKEN.substring(0, REAL_TOKEN.length() - 1))) {
            assertThat(bearer.check(benign, "evil.test")).as(benign).isEmpty();
        }
    }
}
