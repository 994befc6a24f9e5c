package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** A response the credential watch cannot read through is refused, naming its codings; identity and chunked pass. */
class UnreadableCodingTest {
    @Test
    void aCompressedResponseIsRefusedNamingItsCodings() {
        HttpResponse gzip = response();
        gzip.headers().add(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        assertThat(UnreadableCoding.refusal("api.test", gzip)).contains("the response from api.test to a request"
                + " that carried the credential came in Content-Encoding gzip / Transfer-Encoding , which cannot be"
                + " watched for it (identity was asked for); refused");

        HttpResponse compressedInTransit = response();
        compressedInTransit.headers().add(HttpHeaderNames.TRANSFER_ENCODING, "gzip, chunked");
        assertThat(UnreadableCoding.refusal("api.test", compressedInTransit)).isPresent();
    }

    @Test
    void identityAndChunkedAreRead() {
        HttpResponse plain = response();
        assertThat(UnreadableCoding.refusal("api.test", plain)).isEmpty();
        plain.headers().add(HttpHeaderNames.CONTENT_ENCODING, "Identity");
        plain.headers().add(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        assertThat(UnreadableCoding.refusal("api.test", plain)).isEmpty();
    }

    private static HttpResponse response() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }
}
