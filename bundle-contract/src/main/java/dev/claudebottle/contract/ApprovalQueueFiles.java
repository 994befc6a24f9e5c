package dev.claudebottle.contract;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The approval queue, a folder the host shares with the bundle's supervise daemon: its layout and
 * the three kinds of file in it. The daemon writes {@code requests/<id>.json} and
 * {@code notifications/<id>.json}; a person's decision ({@code bottle supervise approve|deny}) or
 * the daemon's timeout writes {@code decisions/<id>.json}, whichever comes first. Each record's
 * {@code toJson()} and {@code fromJson(Object)} are the one mapping to and from its JSON tree.
 */
public final class ApprovalQueueFiles {
    /** The queue's folder in a bottle's state folder on the host. */
    public static final String HOST_DIR = "supervise";
    /** Requests, by id. */
    public static final String REQUESTS = "requests";
    /** Decisions, by the id of their request. */
    public static final String DECISIONS = "decisions";
    /** Notifications, by id. */
    public static final String NOTIFICATIONS = "notifications";
    /** Revocations of approvals given for the bottle, by the id of their request (written by the host). */
    public static final String REVOKED = "revoked";
    /** Every folder of the queue. */
    public static final List<String> FOLDERS = List.of(REQUESTS, DECISIONS, NOTIFICATIONS, REVOKED);
    /** The longest title a request may have, in characters. */
    public static final int MAX_TITLE = 200;
    /** The longest details of a request, or message of a notification, in characters. */
    public static final int MAX_TEXT = 4096;
    /** The longest kind of a request, in characters. */
    public static final int MAX_KIND = 32;
    /**
     * The largest queue file either side reads, in bytes: every text at its longest, each character
     * escaped, fits; a larger file was not written by a bundle and is passed over unread.
     */
    public static final long MAX_FILE_BYTES = 64 * 1024;
    /** The most files one folder of a bottle's queue keeps; the oldest decided ones make room. */
    public static final int MAX_FILES = 256;
    private ApprovalQueueFiles() {
    }

    /** Where a request stands: undecided, or how it was decided. */
    public enum State {
        /** Nobody decided yet, and it has not timed out. */
        PENDING,
        /** The agent may go ahead. */
        APPROVED,
        /** The agent may not. */
        DENIED,
        /** Nobody decided in time, which is a deny. */
        EXPIRED
    }

    /** What an approval covers, narrowest first. */
    public enum Scope {
        /** This request only. */
        REQUEST,
        /** This request and every later one like it from the bottle. The default. */
        BOTTLE,
        /** As for the bottle, and saved into the manifest the bottle came from. */
        MANIFEST
    }

    /** Who placed a decision. */
    public enum DecidedBy {
        /** A person, on the host. */
        HOST,
        /** The bundle, when nobody decided in time. */
        TIMEOUT
    }

    /** The name of the file for {@code id} in any of the folders. */
    public static String fileName(String id) {
        return id + ".json";
    }

    /**
     * Places a decision on a request, the one way both sides do it: the decision is written aside
     * and linked into {@link #DECISIONS} only if no decision is there yet, so a person's decision
     * and the bundle's timeout never both stand.
     *
     * @param queue    the queue's folder
     * @param decision the decision
     * @param json     its JSON tree as bytes, in the caller's JSON library
     * @return whether this decision is the one that stands ({@code false}: another was placed first)
     */
    public static boolean place(Path queue, Decision decision, TreeEncoder json)
            throws IOException {
        Path decisions = queue.resolve(DECISIONS);
        Path aside = decisions.resolve("." + decision.id() + "." + Wire.name(decision.by()) + "." + UUID.randomUUID());
        try {
            Files.write(aside, json.encode(decision.toJson()));
            Files.createLink(decisions.resolve(fileName(decision.id())), aside);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /**
     * Writes a whole file into one of the queue's folders: aside first, then moved into place, so a
     * reader on the other side never sees part of it.
     */
    public static void write(Path folder, String id, byte[] content) throws IOException {
        Path aside = folder.resolve("." + id + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(aside, content);
            Files.move(aside, folder.resolve(fileName(id)), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            // a write that failed (a full disk, say) leaves nothing aside to pile up
            Files.deleteIfExists(aside);
        }
    }

    /**
     * Who put a question: the gateway and the git gate write theirs from what they saw, the agent
     * writes its own through supervise. Only the bundle's daemons set it; a person is shown it so
     * that an agent's question never passes for the gateway's.
     */
    public enum Asker {
        /** The gateway, about a host no rule covers. */
        GATEWAY,
        /** The git gate, about a push outside a repo's {@code push}. */
        GIT_GATE,
        /** The agent, through supervise's {@code request_approval}: all of its text is the agent's. */
        AGENT;

        /** Its name in a queue file and in {@code --json}. */
        public String wire() {
            return Wire.name(this);
        }

        /** The asker a file names; a file that names none, or one this build does not know, is the agent's. */
        public static Asker of(Optional<String> wire) {
            for (Asker a : values()) {
                if (wire.isPresent() && a.wire().equals(wire.get())) {
                    return a;
                }
            }
            return AGENT;
        }
    }

    /**
     * What the gateway shows a person about a request to a host no rule covers, which is what an
     * approval grants: one host and port, the request that asked (a tunnel shows no method or path),
     * and the addresses the host resolved to when it asked.
     *
     * @param host           the host, as the gateway decided on it
     * @param port           the port
     * @param method         the request's method, {@code CONNECT} for an opaque tunnel
     * @param path           the request's path without its query, empty for a tunnel
     * @param addresses      the addresses the host resolved to
     * @param privateNetwork whether any of them is a private-network address
     * @param queryBytes     how long the request's query is (not shown: it may carry anything)
     * @param websocket      whether the request opens a WebSocket
     */
    public record Egress(String host, int port, String method, String path, List<String> addresses,
                         boolean privateNetwork, int queryBytes, boolean websocket) {
        /** Requires every part and copies the addresses. */
        public Egress {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            addresses = List.copyOf(addresses);
        }

        /** A request without a query that opens no WebSocket. */
        public Egress(String host, int port, String method, String path, List<String> addresses,
                      boolean privateNetwork) {
            this(host, port, method, path, addresses, privateNetwork, 0, false);
        }

        /** {@code host:port}, with brackets around an IPv6 literal. */
        public String where() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        /** The request in one line: {@code GET host:port/path}, or {@code CONNECT host:port (...)} for a tunnel. */
        public String request() {
            return method.equals("CONNECT") && path.isEmpty()
                    ? "CONNECT " + where() + " (an encrypted tunnel: what passes in it is not shown)"
                    : method + " " + where() + path + (queryBytes > 0 ? " (and a query of " + queryBytes
                            + " bytes, not shown)" : "") + (websocket ? " opening a WebSocket (messages both ways "
                            + "until it closes, not shown)" : "");
        }

        /** Where the host pointed when it asked, and whether that is a private network. */
        public String resolved() {
            return "resolves to " + (addresses.isEmpty() ? "nothing" : String.join(", ", addresses))
                    + (privateNetwork ? " (PRIVATE NETWORK)" : " (public)");
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("host", host);
            json.put("port", port);
            json.put("method", method);
            json.put("path", path);
            json.put("addresses", addresses);
            json.put("private", privateNetwork);
            json.put("query_bytes", queryBytes);
            json.put("websocket", websocket);
            return json;
        }

        static Egress fromJson(JsonTree e) {
            return new Egress(e.get("host").text(), (int) e.get("port").number(0), e.get("method").text(),
                    e.get("path").text(), e.get("addresses").texts(), e.get("private").flag(),
                    (int) e.get("query_bytes").number(0), e.get("websocket").flag());
        }
    }

    /**
     * A request for approval.
     *
     * @param id        its id
     * @param slug      the bottle that asked
     * @param asker     who asked (written by the bundle, never by the guest)
     * @param title     what is asked, in one line (guest-written text when the agent asked)
     * @param details   more of it (guest-written text when the agent asked)
     * @param kind      {@code egress}, {@code push}, {@code command}, ... (guest-written text when the agent asked)
     * @param createdAt when it was filed
     * @param expiresAt when it counts as denied without a decision
     * @param key       a digest of what was asked: the same question asked again finds it
     * @param target    what the request is about, for the host to act on: {@code repo:ref} for the git
     *                  gate's, {@code host:port} for the gateway's (written by the bundle, never by the guest)
     * @param egress    what the gateway showed, for a question about a host
     */
    public record Request(String id, String slug, Asker asker, String title, String details, String kind,
                          Instant createdAt, Instant expiresAt, String key, Optional<String> target,
                          Optional<Egress> egress) {
        /** Requires every part. */
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(slug, "slug");
            Objects.requireNonNull(asker, "asker");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(details, "details");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(egress, "egress");
        }

        /** The agent's request, about nothing the host acts on. */
        public Request(String id, String slug, String title, String details, String kind, Instant createdAt,
                       Instant expiresAt, String key) {
            this(id, slug, Asker.AGENT, title, details, kind, createdAt, expiresAt, key, Optional.empty(),
                    Optional.empty());
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("slug", slug);
            json.put("asker", asker.wire());
            json.put("title", title);
            json.put("details", details);
            json.put("kind", kind);
            json.put("created_at", createdAt.toString());
            json.put("expires_at", expiresAt.toString());
            json.put("key", key);
            target.ifPresent(t -> json.put("target", t));
            egress.ifPresent(e -> json.put("egress", e.toJson()));
            return json;
        }

        /** The request in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
        public static Request fromJson(Object tree) {
            JsonTree r = new JsonTree("the request", tree);
            JsonTree egress = r.get("egress");
            return new Request(r.get("id").text(), r.get("slug").text(), Asker.of(r.get("asker").optionalText()),
                    r.get("title").text(), r.get("details").text(), r.get("kind").text(),
                    r.get("created_at").instant(), r.get("expires_at").instant(), r.get("key").text(),
                    r.get("target").optionalText(),
                    egress.isAbsent() ? Optional.empty() : Optional.of(Egress.fromJson(egress)));
        }
    }

    /**
     * A person's withdrawal of an approval given for the bottle: from then on the bundle asks again.
     *
     * @param id        the request whose approval is withdrawn
     * @param revokedAt when
     * @param reason    why, if the person said
     */
    public record Revocation(String id, Instant revokedAt, String reason) {
        /** Requires every part. */
        public Revocation {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(revokedAt, "revokedAt");
            Objects.requireNonNull(reason, "reason");
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("revoked_at", revokedAt.toString());
            json.put("reason", reason);
            return json;
        }

        /** The revocation in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
        public static Revocation fromJson(Object tree) {
            JsonTree r = new JsonTree("the revocation", tree);
            return new Revocation(r.get("id").text(), r.get("revoked_at").instant(),
                    r.get("reason").optionalText().orElse(""));
        }
    }

    /**
     * A decision on a request.
     *
     * @param id        the request's id
     * @param state     how it was decided (never {@link State#PENDING})
     * @param reason    the person's reason, or why it expired
     * @param decidedAt when
     * @param by        who decided
     * @param scope     what an approval covers ({@link Scope#BOTTLE} when the file names none); it
     *                  matters for requests of kind {@code egress} and {@code push}
     */
    public record Decision(String id, State state, String reason, Instant decidedAt, DecidedBy by, Scope scope) {
        /** Requires every part and a decided state. */
        public Decision {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(decidedAt, "decidedAt");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(scope, "scope");
            if (state == State.PENDING) {
                throw new IllegalArgumentException("a decision is approved, denied or expired, not pending");
            }
        }

        /** A decision with the default scope. */
        public Decision(String id, State state, String reason, Instant decidedAt, DecidedBy by) {
            this(id, state, reason, decidedAt, by, Scope.BOTTLE);
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("state", Wire.name(state));
            json.put("reason", reason);
            json.put("decided_at", decidedAt.toString());
            json.put("by", Wire.name(by));
            json.put("scope", Wire.name(scope));
            return json;
        }

        /** The decision in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
        public static Decision fromJson(Object tree) {
            JsonTree d = new JsonTree("the decision", tree);
            return new Decision(d.get("id").text(), Wire.parse(State.class, d.get("state").text(), "state"),
                    d.get("reason").optionalText().orElse(""), d.get("decided_at").instant(),
                    Wire.parse(DecidedBy.class, d.get("by").text(), "by"),
                    d.get("scope").optionalText().map(v -> Wire.parse(Scope.class, v, "scope")).orElse(Scope.BOTTLE));
        }
    }

    /**
     * A message from the agent to the person.
     *
     * @param id        its id
     * @param slug      the bottle that sent it
     * @param message   the text (guest-written)
     * @param createdAt when
     */
    public record Notification(String id, String slug, String message, Instant createdAt) {
        /** Requires every part. */
        public Notification {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(slug, "slug");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("slug", slug);
            json.put("message", message);
            json.put("created_at", createdAt.toString());
            return json;
        }

        /** The notification in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
        public static Notification fromJson(Object tree) {
            JsonTree n = new JsonTree("the notification", tree);
            return new Notification(n.get("id").text(), n.get("slug").text(), n.get("message").text(),
                    n.get("created_at").instant());
        }
    }
}
