package dev.claudebottle.spi.bundle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    /** Every folder of the queue. */
    public static final List<String> FOLDERS = List.of(REQUESTS, DECISIONS, NOTIFICATIONS);
    /** A decision's state: the agent may go ahead. */
    public static final String APPROVED = "approved";
    /** A decision's state: the agent may not. */
    public static final String DENIED = "denied";
    /** A decision's state: nobody decided in time, which is a deny. */
    public static final String EXPIRED = "expired";
    /** An approval's scope: this request only. */
    public static final String SCOPE_REQUEST = "request";
    /** An approval's scope: this request and every later one like it from the bottle. The default. */
    public static final String SCOPE_BOTTLE = "bottle";
    /** An approval's scope: as for the bottle, and saved into the manifest the bottle came from. */
    public static final String SCOPE_MANIFEST = "manifest";
    /** Every scope, narrowest first. */
    public static final List<String> SCOPES = List.of(SCOPE_REQUEST, SCOPE_BOTTLE, SCOPE_MANIFEST);

    private ApprovalQueueFiles() {
    }

    /** The name of the file for {@code id} in any of the folders. */
    public static String fileName(String id) {
        return id + ".json";
    }

    /**
     * A request for approval.
     *
     * @param id        its id
     * @param slug      the bottle that asked
     * @param title     what the agent wants to do, in one line (guest-written text)
     * @param details   more of it (guest-written text)
     * @param kind      {@code command}, {@code push}, ... (guest-written text)
     * @param createdAt when it was filed
     * @param expiresAt when it counts as denied without a decision
     * @param key       a digest of title, details and kind: the same question asked again finds it
     * @param target    what the request is about, for the host to act on: {@code host:port} for kind
     *                  {@code egress} (written by the bundle, never by the guest)
     */
    public record Request(String id, String slug, String title, String details, String kind, Instant createdAt,
                          Instant expiresAt, String key, Optional<String> target) {
        /** Requires every part. */
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(slug, "slug");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(details, "details");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(target, "target");
        }

        /** A request about nothing the host acts on. */
        public Request(String id, String slug, String title, String details, String kind, Instant createdAt,
                       Instant expiresAt, String key) {
            this(id, slug, title, details, kind, createdAt, expiresAt, key, Optional.empty());
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("slug", slug);
            json.put("title", title);
            json.put("details", details);
            json.put("kind", kind);
            json.put("created_at", createdAt.toString());
            json.put("expires_at", expiresAt.toString());
            json.put("key", key);
            target.ifPresent(t -> json.put("target", t));
            return json;
        }

        /** The request in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
        public static Request fromJson(Object tree) {
            JsonTree r = new JsonTree("the request", tree);
            return new Request(r.get("id").text(), r.get("slug").text(), r.get("title").text(),
                    r.get("details").text(), r.get("kind").text(), r.get("created_at").instant(),
                    r.get("expires_at").instant(), r.get("key").text(), r.get("target").optionalText());
        }
    }

    /**
     * A decision on a request.
     *
     * @param id        the request's id
     * @param state     {@link #APPROVED}, {@link #DENIED} or {@link #EXPIRED}
     * @param reason    the person's reason, or why it expired
     * @param decidedAt when
     * @param by        {@code host} (a person) or {@code timeout}
     * @param scope     what an approval covers, one of {@link #SCOPES} ({@link #SCOPE_BOTTLE} when the file
     *                  names none); it matters for requests of kind {@code egress} and {@code push}
     */
    public record Decision(String id, String state, String reason, Instant decidedAt, String by, String scope) {
        /** Requires every part and a known state. */
        public Decision {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(decidedAt, "decidedAt");
            Objects.requireNonNull(by, "by");
            if (!List.of(APPROVED, DENIED, EXPIRED).contains(state)) {
                throw new IllegalArgumentException("state is not approved, denied or expired");
            }
            if (!SCOPES.contains(scope)) {
                throw new IllegalArgumentException("scope is not request, bottle or manifest");
            }
        }

        /** A decision with the default scope. */
        public Decision(String id, String state, String reason, Instant decidedAt, String by) {
            this(id, state, reason, decidedAt, by, SCOPE_BOTTLE);
        }

        /** Its JSON tree. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("state", state);
            json.put("reason", reason);
            json.put("decided_at", decidedAt.toString());
            json.put("by", by);
            json.put("scope", scope);
            return json;
        }

        /** The decision in a JSON tree; {@link IllegalArgumentException} names a wrong part. */
        public static Decision fromJson(Object tree) {
            JsonTree d = new JsonTree("the decision", tree);
            return new Decision(d.get("id").text(), d.get("state").text(), d.get("reason").optionalText().orElse(""),
                    d.get("decided_at").instant(), d.get("by").text(), d.get("scope").optionalText().orElse(SCOPE_BOTTLE));
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
