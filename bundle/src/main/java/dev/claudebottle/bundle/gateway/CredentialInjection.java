package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.Secret;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;

/** A route's credential put into a request on its way upstream, and the watch its response gets for it. */
final class CredentialInjection {
    private CredentialInjection() {
    }

    /** Sets the route's header to {@code value}; the response is to be watched through what this returns. */
    static ResponseWatch inject(HttpRequest request, GatewayPolicy.Route route, Secret value) {
        request.headers().set(route.header(), value.reveal());
        if (route.signIn()) {
            // a key beside the token would make the API refuse it, and the refusal cost the sign-in a refresh
            request.headers().remove("x-api-key");
        }
        // the answer is watched for the value as it reads: a compressed one could not be
        request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        return new ResponseWatch(value.reveal());
    }
}
