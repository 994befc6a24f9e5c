package dev.claudebottle.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The dashboard's web server: one page and its data, on an IPv4 loopback address only, every request
 * {@link Guard guarded}, every response carrying a Content-Security-Policy that allows no inline
 * script and no CORS header at all. It reads and answers through the same bottle state and approval
 * board the command line uses.
 */
public final class DashboardServer implements AutoCloseable {
    /** The page's policy: its own scripts, styles and data, nothing inline, never framed. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The most a change's body may be: a scope and a reason. */
    static final int MOST_BODY = 4 * 1024;
    /** The most connections open at once: a page uses a handful. */
    static final int MOST_CONNECTIONS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECIDE = Pattern.compile("/api/questions/([0-9a-f]{4,32})/(approve|deny)");
    private static final Pattern STOP = Pattern.compile("/api/bottles/([a-z0-9][a-z0-9-]{0,62})/stop");
    private static final Pattern TRAFFIC = Pattern.compile("/api/bottles/([a-z0-9][a-z0-9-]{0,62})/traffic");
    private static final Pattern VERIFY = Pattern.compile("/api/records/([a-z0-9][a-z0-9-]{0,62})/verify");
    private static final Map<String, String> ASSETS = Map.of("/", "index.html", "/dashboard.js", "dashboard.js",
            "/dashboard.css", "dashboard.css");
    private final DashboardData data;
    private final InetAddress address;
    private final Tokens tokens = Tokens.random();
    private final Server server;
    private final TrafficStreams streams = new TrafficStreams();
    private final Changes changes;
    private volatile Guard guard;

    /**
     * A server for {@code data} on {@code address}, which must be a loopback address.
     *
     * @throws BadInputException for any other address
     */
    public DashboardServer(DashboardData data, InetAddress address) {
        if (!address.isLoopbackAddress() || !(address instanceof java.net.Inet4Address)) {
            throw new BadInputException("the dashboard listens on an IPv4 loopback address only (127.0.0.0/8), not "
                    + address.getHostAddress(), "leave --address out, or give one like 127.0.0.2");
        }
        this.data = data;
        this.address = address;
        this.changes = new Changes(() -> {
            try {
                return JSON.writeValueAsString(List.of(Views.questions(data.board()), Views.bottles(data)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("dashboard");
        threads.setDaemon(true);
        this.server = new Server(threads);
    }

    /**
     * Starts listening on a free port.
     *
     * @return the URL to give the person, carrying the session token in its fragment
     */
    public URI start() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostAddress());
        connector.setPort(0);
        connector.setIdleTimeout(15_000);
        server.addConnector(connector);
        // a local process opening connections by the thousand exhausts neither descriptors nor threads
        server.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(MOST_CONNECTIONS, connector));
        try {
            // bound first, so that the guard knows the port before any request can come
            connector.open();
        } catch (IOException e) {
            throw new BottleException("cannot listen on " + address.getHostAddress() + ": " + e.getMessage(),
                    "give another loopback address with --address", e);
        }
        guard = new Guard(host(), connector.getLocalPort(), tokens);
        server.setErrorHandler(new org.eclipse.jetty.server.handler.ErrorHandler() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                // what the server itself refuses (a request it cannot parse) carries the same headers
                secure(response);
                return super.handle(request, response, callback);
            }
        });
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new BottleException("cannot start the dashboard on " + address.getHostAddress() + ": "
                    + e.getMessage(), "give another loopback address with --address", e);
        }
        // the token in the fragment never leaves the browser: the page takes it into its tab's storage
        return URI.create("http://" + host() + ":" + connector.getLocalPort() + "/#token=" + tokens.session());
    }

    /** The address as a URL names it. */
    private String host() {
        return address.getHostAddress();
    }

    private void serve(Request request, Response response, Callback callback) {
        secure(response);
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Optional<Matcher> decide = Optional.of(DECIDE.matcher(path)).filter(Matcher::matches);
        Optional<Matcher> stop = Optional.of(STOP.matcher(path)).filter(Matcher::matches);
        try {
            Guard.Verdict verdict = guard.judge(method, request.getHeaders().getValuesList(HttpHeader.HOST),
                    Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION)),
                    Optional.ofNullable(request.getHeaders().get(HttpHeader.ORIGIN)),
                    Optional.ofNullable(request.getHeaders().get(Guard.CSRF_HEADER)), path.startsWith("/api/"),
                    decide.isPresent() || stop.isPresent());
            switch (verdict) {
                case PASS -> route(method, path, decide, stop, request, response, callback);
                case WRONG_HOST -> send(response, callback, 421, "text/plain",
                        "this dashboard answers only at its own address");
                case NO_SESSION -> send(response, callback, 403, "text/plain",
                        "open the URL bottle dashboard printed");
                case WRONG_ORIGIN, NO_CSRF -> send(response, callback, 403, "text/plain",
                        "a change must come from the dashboard's own page");
                case WRONG_METHOD -> send(response, callback, 405, "text/plain", "not here");
            }
        } catch (RuntimeException e) {
            send(response, callback, 500, "text/plain", "the dashboard failed: " + e.getClass().getSimpleName());
        }
    }

    private void route(String method, String path, Optional<Matcher> decide, Optional<Matcher> stop, Request request,
                       Response response, Callback callback) {
        if (decide.isPresent()) {
            decide(decide.get().group(1), decide.get().group(2).equals("approve"), request, response, callback);
            return;
        }
        if (stop.isPresent()) {
            String slug = stop.get().group(1);
            if (data.bottles().stream().noneMatch(b -> slug.equals(b.get("slug")))) {
                send(response, callback, 404, "text/plain", "no bottle " + slug + " here");
                return;
            }
            data.stop(slug);
            json(response, callback, 200, Map.of("stopped", slug));
            return;
        }
        Matcher traffic = TRAFFIC.matcher(path);
        if (traffic.matches()) {
            streams.serve(data.record(traffic.group(1)), response, callback);
            return;
        }
        Matcher verify = VERIFY.matcher(path);
        if (verify.matches()) {
            String slug = verify.group(1);
            if (data.records().stream().noneMatch(r -> slug.equals(r.get("slug")))) {
                send(response, callback, 404, "text/plain", "no record of " + slug + " here");
                return;
            }
            json(response, callback, 200, Views.inert(data.verify(slug)));
            return;
        }
        switch (path) {
            case "/api/session" -> json(response, callback, 200, Map.of("csrf", tokens.csrf()));
            case "/api/bottles" -> json(response, callback, 200, Views.bottles(data));
            case "/api/records" -> json(response, callback, 200, Views.inert(data.records()));
            case "/api/changes" -> streams.changes(changes, response, callback);
            case "/api/questions" -> json(response, callback, 200, Views.questions(data.board()));
            default -> {
                String asset = ASSETS.get(path);
                if (asset == null) {
                    send(response, callback, 404, "text/plain", "no such page");
                } else {
                    send(response, callback, 200, type(asset), asset(asset));
                }
            }
        }
    }

    /** Approves or denies one question, as {@code bottle supervise approve|deny} does. */
    private void decide(String id, boolean approve, Request request, Response response, Callback callback) {
        long length = request.getLength();
        if (length < 0 || length > MOST_BODY) {
            send(response, callback, 413, "text/plain", "a decision is a scope and a reason, at most "
                    + MOST_BODY + " bytes with a length");
            return;
        }
        Map<?, ?> body;
        try {
            body = length == 0 ? Map.of() : JSON.readValue(Content.Source.asString(request, StandardCharsets.UTF_8),
                    Map.class);
        } catch (IOException | RuntimeException e) {
            send(response, callback, 400, "text/plain", "a decision is JSON: {\"scope\": …, \"reason\": …}");
            return;
        }
        String reason = body.get("reason") instanceof String r ? r : (approve ? "approved" : "denied") + " on the "
                + "dashboard";
        ApprovalQueueFiles.Scope scope;
        try {
            scope = body.get("scope") instanceof String s ? ApprovalQueueFiles.Scope.valueOf(s.toUpperCase(Locale.ROOT))
                    : ApprovalQueueFiles.Scope.BOTTLE;
        } catch (IllegalArgumentException e) {
            send(response, callback, 400, "text/plain", "scope: request, bottle or manifest");
            return;
        }
        try {
            ApprovalBoard.Decided decided = data.board().decide(id, approve, reason, scope);
            json(response, callback, 200, Views.question(decided.request()));
        } catch (BadInputException e) {
            send(response, callback, 400, "text/plain", e.getMessage());
        } catch (BottleException e) {
            send(response, callback, 409, "text/plain", e.getMessage());
        }
    }

    /** The headers every answer carries: its own scripts only, never framed, sniffed, cached or referred. */
    private static void secure(Response response) {
        var headers = response.getHeaders();
        headers.put("Content-Security-Policy", POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cache-Control", "no-store");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void json(Response response, Callback callback, int status, Object tree) {
        try {
            send(response, callback, status, "application/json", JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
    }

    private static String type(String asset) {
        return asset.endsWith(".js") ? "text/javascript" : asset.endsWith(".css") ? "text/css" : "text/html";
    }

    private static String asset(String name) {
        try (InputStream in = DashboardServer.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from its jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port it listens on, once started. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "DashboardServer[" + address.getHostAddress() + "]";
    }

    @Override
    public void close() {
        streams.close();
        changes.close();
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing is left to serve
        }
    }
}
