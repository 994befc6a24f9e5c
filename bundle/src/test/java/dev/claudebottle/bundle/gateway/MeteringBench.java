package dev.claudebottle.bundle.gateway;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.claudebottle.bundle.spend.Metering;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The metering benchmark (run by {@code bench/metering.sh}): how long a streamed Messages API
 * answer takes to show its first event through the gateway when the call is metered, against the
 * same answer on a path the gateway does not meter, both injected by the same route, on loopback.
 * The variants take turns in each round; the figure is the median over the rounds of the ratio of
 * their median times within a round, and the time metering added, the median over the rounds of the
 * difference. Last line: {@code ratio: metered/unmetered=X}.
 */
public final class MeteringBench {
    private static final String API = MeteredCall.API;

    private MeteringBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "7"));
        int calls = Integer.parseInt(System.getProperty("bench.calls", "200"));
        Path dir = Files.createTempDirectory("claude-bottle-metering-bench");
        byte[] first = ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
                + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
                + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            rest.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":\"word ").append(i).append(" \"}}\n\n");
        }
        rest.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":60}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        byte[] tail = rest.toString().getBytes(StandardCharsets.UTF_8);
        try (GatewayFixture gw = new GatewayFixture(dir, Map.of(API, "127.0.0.1"))) {
            HttpsServer api = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            api.setHttpsConfigurator(new HttpsConfigurator(TestUpstream.serverTls(API, gw.upstreamCa)));
            java.util.concurrent.ExecutorService serving = Executors.newFixedThreadPool(8);
            api.setExecutor(serving);
            api.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("content-type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(first);
                    out.flush();
                    out.write(tail);
                }
            });
            api.start();
            try {
                gw.start(GatewayFixture.policy(List.of(), List.of(GatewayFixture.route(API, api.getAddress().getPort(),
                        "x-api-key"))));
                gw.server.meter(new Metering(Optional.empty(), gw.audit, "bench", Clock.systemUTC()));
                HttpClient client = gw.client(true, false);
                String base = "https://" + API + ":" + api.getAddress().getPort();
                // bench.baseline=true: both variants unmetered, to see how far the two paths differ by themselves
                String meteredPath = Boolean.getBoolean("bench.baseline") ? "/v1/unmetere" : "/v1/messages";
                for (int i = 0; i < calls; i++) {
                    // warm both paths up before anything is measured
                    firstEvent(client, base + meteredPath);
                    firstEvent(client, base + "/v1/unmetered");
                }
                double[] ratios = new double[rounds];
                double[] added = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    List<Long> metered = new ArrayList<>();
                    List<Long> unmetered = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        boolean meteredFirst = (i + r) % 2 == 0;
                        long a = firstEvent(client, base + (meteredFirst ? meteredPath : "/v1/unmetered"));
                        long b = firstEvent(client, base + (meteredFirst ? "/v1/unmetered" : meteredPath));
                        (meteredFirst ? metered : unmetered).add(a);
                        (meteredFirst ? unmetered : metered).add(b);
                    }
                    ratios[r] = median(metered) / median(unmetered);
                    added[r] = (median(metered) - median(unmetered)) / 1000;
                    System.out.printf("round %d: metered %.0f µs, unmetered %.0f µs, ratio %.3f%n", r + 1,
                            median(metered) / 1000, median(unmetered) / 1000, ratios[r]);
                }
                Arrays.sort(ratios);
                Arrays.sort(added);
                System.out.printf("added by metering: %.0f µs%n", added[rounds / 2]);
                System.out.printf("ratio: metered/unmetered=%.3f%n", ratios[rounds / 2]);
            } finally {
                api.stop(0);
                serving.shutdownNow();
            }
        }
    }

    /** Nanoseconds from sending the call to reading the first byte of its answer's body. */
    private static long firstEvent(HttpClient client, String url) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("x-api-key",
                GatewayFixture.PLACEHOLDER).POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (in.read() < 0) {
                throw new IllegalStateException("an empty answer from " + url);
            }
            long took = System.nanoTime() - start;
            in.readAllBytes();
            return took;
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
