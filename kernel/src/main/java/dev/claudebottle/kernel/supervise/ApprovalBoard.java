package dev.claudebottle.kernel.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The host's side of every bottle's approval queue ({@code <bottle dir>/supervise}): lists the
 * requests and notifications the bundles filed and writes the human's decisions. A decision file
 * is linked into place only if none exists, so a decision and the bundle's timeout never both
 * stand, and deciding twice is refused.
 */
public final class ApprovalBoard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path bottlesDir;
    private final Clock clock;

    /**
     * One request as the host sees it.
     *
     * @param state {@code pending}, {@code approved}, {@code denied} or {@code expired}
     */
    public record Request(String id, String slug, String title, String details, String kind, String state,
                          String reason, Instant createdAt, Instant expiresAt) {
    }

    /** One notification an agent left. */
    public record Notification(String id, String slug, String message, Instant createdAt) {
    }

    /** The board over the bottle state dirs under {@code bottlesDir}. */
    public ApprovalBoard(Path bottlesDir, Clock clock) {
        this.bottlesDir = bottlesDir;
        this.clock = clock;
    }

    /** Every request of every bottle, oldest first. */
    public List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (Path queue : queues()) {
            for (JsonNode r : files(queue.resolve("requests"))) {
                out.add(request(queue, r));
            }
        }
        out.sort(Comparator.comparing(Request::createdAt).thenComparing(Request::id));
        return out;
    }

    /** Every notification of every bottle, oldest first. */
    public List<Notification> notifications() {
        List<Notification> out = new ArrayList<>();
        for (Path queue : queues()) {
            for (JsonNode n : files(queue.resolve("notifications"))) {
                out.add(new Notification(n.path("id").asText(), n.path("slug").asText(), n.path("message").asText(),
                        Instant.parse(n.path("created_at").asText())));
            }
        }
        out.sort(Comparator.comparing(Notification::createdAt).thenComparing(Notification::id));
        return out;
    }

    /** Approves or denies a pending request; an unknown id is bad input, a decided one a failure. */
    public Request decide(String id, boolean approve, String reason) {
        Path queue = queueOf(id);
        JsonNode filed = read(queue.resolve("requests").resolve(id + ".json"));
        Request current = request(queue, filed);
        if (!current.state().equals("pending")) {
            throw new BottleException("request " + id + " of " + current.slug() + " is already " + current.state(),
                    "bottle supervise ls shows every request and its state");
        }
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("id", id);
        decision.put("state", approve ? "approved" : "denied");
        decision.put("reason", reason);
        decision.put("decided_at", clock.instant().toString());
        decision.put("by", "host");
        Path decisions = queue.resolve("decisions");
        Path aside = decisions.resolve("." + id + ".host." + UUID.randomUUID());
        try {
            Files.write(aside, JSON.writeValueAsBytes(decision));
            try {
                Files.createLink(decisions.resolve(id + ".json"), aside);
            } catch (FileAlreadyExistsException e) {
                throw new BottleException("request " + id + " was decided meanwhile: " + request(queue, filed).state(),
                        "bottle supervise ls shows every request and its state");
            } finally {
                Files.deleteIfExists(aside);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decision on " + id + ": " + e.getMessage(), e);
        }
        return request(queue, filed);
    }

    private Path queueOf(String id) {
        if (!id.matches("[0-9a-f]{4,32}")) {
            throw new BadInputException("'" + id + "' is not a request id", "bottle supervise ls shows the ids");
        }
        for (Path queue : queues()) {
            if (Files.exists(queue.resolve("requests").resolve(id + ".json"))) {
                return queue;
            }
        }
        throw new BadInputException("no bottle has a request " + id, "bottle supervise ls shows the ids");
    }

    private Request request(Path queue, JsonNode r) {
        String id = r.path("id").asText();
        Instant expires = Instant.parse(r.path("expires_at").asText());
        Optional<JsonNode> decision = Optional.of(queue.resolve("decisions").resolve(id + ".json"))
                .filter(Files::exists).map(this::read);
        String state = decision.map(d -> d.path("state").asText("denied"))
                .orElse(expires.isAfter(clock.instant()) ? "pending" : "expired");
        String reason = decision.map(d -> d.path("reason").asText("")).orElse("");
        return new Request(id, r.path("slug").asText(), r.path("title").asText(), r.path("details").asText(),
                r.path("kind").asText(), state, reason, Instant.parse(r.path("created_at").asText()), expires);
    }

    private List<Path> queues() {
        if (!Files.isDirectory(bottlesDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(bottlesDir)) {
            return dirs.map(d -> d.resolve("supervise")).filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + bottlesDir + ": " + e.getMessage(), e);
        }
    }

    private List<JsonNode> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            // files being written are named with a leading dot and appear whole when moved in
            return files.filter(f -> !f.getFileName().toString().startsWith(".")
                    && f.getFileName().toString().endsWith(".json")).map(this::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
