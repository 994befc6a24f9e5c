package dev.claudebottle.bundle.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.signin.NotSent;
import dev.claudebottle.bundle.signin.RefreshRefused;
import dev.claudebottle.bundle.signin.TokenExchange;
import dev.claudebottle.spi.Secret;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Claude's token endpoint, as the gateway reaches it: over the bottle's own egress (its upstream
 * proxy, the CAs it trusts, the SSRF fence of the sign-in route), TLS verified for the endpoint's
 * name. Nothing of an answer but an error code ever reaches a message.
 */
final class SignInEndpoint implements TokenExchange {
    /** The endpoint's host, where Claude Code refreshes too: a test names a local fake by it. */
    static final String HOST = "platform.claude.com";
    /** The endpoint's path. */
    static final String PATH = "/v1/oauth/token";
    /** Claude Code's OAuth client, whose sign-in this is. */
    static final String CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
    private static final int PORT = 443;
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final Duration MAX_LIFETIME = Duration.ofDays(365);
    /** What an error code looks like: a word, never a token. */
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,40}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GatewayServices s;
    private final EventLoop loop;
    private final int port;

    /** The endpoint, reached on {@code loop}: a loop of its own, which no guest connection can keep busy. */
    SignInEndpoint(GatewayServices services, EventLoop loop) {
        this(services, loop, PORT);
    }

    /** An endpoint on another port: a test's fake. */
    SignInEndpoint(GatewayServices services, EventLoop loop, int port) {
        this.s = services;
        this.loop = loop;
        this.port = port;
    }

    @Override
    public CompletableFuture<Tokens> refresh(Secret refreshToken, List<String> scopes) {
        CompletableFuture<Tokens> answer = new CompletableFuture<>();
        // whether the request went out (or can no longer): a timeout before it did leaves the token unspent
        java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "refresh_token");
        body.put("refresh_token", refreshToken.reveal());
        body.put("client_id", CLIENT_ID);
        if (!scopes.isEmpty()) {
            body.put("scope", String.join(" ", scopes));
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("the refresh request could not be written"));
        }
        Decision decision = Decision.allow("sign-in", false, reach(), Optional.empty());
        UpstreamConnector.connect(s, loop, HOST, port, decision, true, ch -> pipeline(ch, answer),
                new UpstreamConnector.Outcome() {
                    @Override
                    public void connected(Channel upstream) {
                        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                                PATH, Unpooled.wrappedBuffer(json));
                        request.headers().set(HttpHeaderNames.HOST, HOST);
                        request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                        request.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
                        request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
                        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
                        // once the TLS handshake is done, the refresh token leaves: from then on it counts as spent
                        upstream.pipeline().get(SslHandler.class).handshakeFuture().addListener(shook -> {
                            if (shook.isSuccess() && sent.compareAndSet(false, true) && !answer.isDone()) {
                                upstream.writeAndFlush(request);
                            } else if (shook.isSuccess()) {
                                request.release();
                            } else {
                                request.release();
                                answer.completeExceptionally(new NotSent("TLS with the token endpoint failed: "
                                        + UpstreamConnector.message(shook.cause())));
                            }
                        });
                        answer.whenComplete((t, e) -> upstream.close());
                    }

                    @Override
                    public void failed(UpstreamConnector.Failure failure) {
                        answer.completeExceptionally(new NotSent(failure.reason()));
                    }
                });
        loop.schedule(() -> answer.completeExceptionally(sent.compareAndSet(false, true)
                ? new NotSent("the token endpoint could not be reached within " + TIMEOUT.toSeconds() + "s")
                : new IOException("the token endpoint did not answer within " + TIMEOUT.toSeconds() + "s")),
                TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return answer;
    }

    /** Where the endpoint may resolve to: as far as the sign-in route may (a local fake is private). */
    private Reach reach() {
        return s.policy().get().source().routes().stream().filter(GatewayPolicy.Route::signIn)
                .anyMatch(GatewayPolicy.Route::allowPrivate) ? Reach.ANY : Reach.PUBLIC;
    }

    private void pipeline(Channel ch, CompletableFuture<Tokens> answer) {
        SSLEngine engine = s.upstreamTls().newEngine(ch.alloc(), HOST, port);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        ch.pipeline().addLast("tls", new SslHandler(engine));
        ch.pipeline().addLast("codec", new HttpClientCodec());
        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(MAX_ANSWER_BYTES));
        ch.pipeline().addLast("answer", new SimpleChannelInboundHandler<FullHttpResponse>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                try {
                    answer.complete(tokens(response.status().code(), ByteBufUtil.getBytes(response.content())));
                } catch (RefreshRefused | IOException e) {
                    answer.completeExceptionally(e);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                answer.completeExceptionally(new IOException("the token endpoint closed the connection unanswered"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                answer.completeExceptionally(new IOException("the token endpoint failed: "
                        + UpstreamConnector.message(cause)));
                ctx.close();
            }
        });
    }

    /** The tokens of an answer, or why there are none; only an error code of the answer is ever quoted. */
    static Tokens tokens(int status, byte[] body) throws RefreshRefused, IOException {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        String error = json == null ? "" : json.path("error").asText("");
        String code = ERROR_CODE.matcher(error).matches() ? error : "";
        if (status == 400 || status == 401) {
            throw new RefreshRefused("the token endpoint refused the refresh token (" + status
                    + (code.isEmpty() ? "" : ", " + code) + ")");
        }
        if (status != 200) {
            throw new IOException("the token endpoint answered " + status + (code.isEmpty() ? "" : " (" + code + ")"));
        }
        if (json == null || !json.path("access_token").isTextual() || json.path("access_token").asText().isEmpty()) {
            throw new IOException("the token endpoint's answer holds no access token");
        }
        Optional<Secret> refresh = json.path("refresh_token").isTextual() && !json.path("refresh_token").asText().isEmpty()
                ? Optional.of(Secret.of(json.path("refresh_token").asText())) : Optional.empty();
        List<String> scopes = json.path("scope").isTextual() ? Arrays.stream(json.path("scope").asText().split(" "))
                .filter(x -> !x.isEmpty()).toList() : List.of();
        return new Tokens(Secret.of(json.path("access_token").asText()), refresh, lifetime(json.path("expires_in")),
                scopes);
    }

    /** The access token's lifetime as answered, kept between a minute and a year; an hour when the answer has none. */
    static Duration lifetime(JsonNode expiresIn) {
        long seconds = expiresIn.isNumber() || expiresIn.isTextual() && expiresIn.asText().matches("[0-9]{1,12}")
                ? expiresIn.asLong(3600) : 3600;
        return Duration.ofSeconds(Math.max(MIN_LIFETIME.toSeconds(), Math.min(MAX_LIFETIME.toSeconds(), seconds)));
    }
}
