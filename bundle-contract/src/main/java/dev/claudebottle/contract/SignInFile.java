package dev.claudebottle.contract;

import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Claude Code's credentials file, {@code .credentials.json}, where it keeps a person's sign-in
 * ({@code claudeAiOauth}) on Linux: which folder holds it on a host, what a sign-in in it holds,
 * the same file with a refreshed sign-in (every other key kept), and the sentinel sign-in a guest
 * is given instead. The host reads the file at launch; the bundle, given its folder, refreshes the
 * sign-in and writes it back. Trees, not text: each side brings its own JSON library.
 */
public final class SignInFile {
    /** The file's name in Claude Code's config folder. */
    public static final String NAME = ".credentials.json";
    /** The largest credentials file read, in bytes: a sign-in is a few hundred. */
    public static final long MAX_BYTES = 1 << 20;
    /** The scope an access token needs to be sent to the Messages API. */
    public static final String INFERENCE = "user:inference";
    /** The guest's access token: the gateway sets the live one in its place. */
    public static final String ACCESS_SENTINEL = "bottle-sign-in-placeholder";
    /** The guest's refresh token: a refresh the guest asks for is answered by the gateway, never sent on. */
    public static final String REFRESH_SENTINEL = "bottle-sign-in-refresh-placeholder";
    /** The guest's sentinel never expires in its eyes (2100-01-01), so it has no reason to refresh by itself. */
    public static final Instant SENTINEL_EXPIRY = Instant.parse("2100-01-01T00:00:00Z");
    private static final String KEY = "claudeAiOauth";

    /**
     * A sign-in as the file holds it; {@code toString()} shows no token.
     *
     * @param accessToken      the OAuth access token
     * @param refreshToken     the refresh token, if the sign-in can be refreshed
     * @param expiresAt        when the access token expires ({@link Instant#MAX} when the file does not say)
     * @param scopes           the scopes the tokens were granted
     * @param subscriptionType the subscription ({@code pro}, {@code max}, ...), if the file names one
     * @param rateLimitTier    the rate-limit tier, if the file names one
     */
    public record SignIn(Secret accessToken, Optional<Secret> refreshToken, Instant expiresAt, List<String> scopes,
                         Optional<String> subscriptionType, Optional<String> rateLimitTier) {
        /** Requires every part. */
        public SignIn {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
            Objects.requireNonNull(expiresAt, "expiresAt");
            scopes = List.copyOf(scopes);
            Objects.requireNonNull(subscriptionType, "subscriptionType");
            Objects.requireNonNull(rateLimitTier, "rateLimitTier");
        }

        /** Whether its access token is still good at {@code now}. */
        public boolean liveAt(Instant now) {
            return expiresAt.isAfter(now);
        }

        /** The same sign-in with a new pair of tokens (the refresh token kept when none came) and scopes. */
        public SignIn refreshed(Secret access, Optional<Secret> refresh, Instant expires, List<String> granted) {
            return new SignIn(access, refresh.or(() -> refreshToken), expires, granted.isEmpty() ? scopes : granted,
                    subscriptionType, rateLimitTier);
        }
    }

    /** A JSON library's reader of a tree of maps, lists, strings, numbers and booleans. */
    @FunctionalInterface
    public interface TreeDecoder {
        /** The tree the JSON bytes hold. */
        Object decode(byte[] json) throws IOException;
    }

    private SignInFile() {
    }

    /**
     * The whole tree of the credentials file {@code file}: an empty one when there is no file.
     *
     * @throws IOException when it is not a regular file of a credentials file's size holding JSON; the
     *                     message names the file and quotes nothing of it
     */
    public static Object tree(Path file, TreeDecoder decoder) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // bounded as it is read: the size a stat gave may have grown since
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException(file + " is larger than a Claude Code credentials file");
        }
        try {
            return decoder.decode(bytes);
        } catch (IOException e) {
            // the parser's message may quote the file, tokens and all
            throw new IOException(file + " is not the JSON Claude Code writes");
        }
    }

    /** The sign-in in the credentials file {@code file}, if it holds one; as {@link #tree} for what fails. */
    public static Optional<SignIn> read(Path file, TreeDecoder decoder) throws IOException {
        try {
            return read(tree(file, decoder));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not the JSON Claude Code writes");
        }
    }

    /**
     * The folder Claude Code on this host keeps its sign-in and its locks in: {@code $CLAUDE_CONFIG_DIR},
     * else {@code ~/.claude}; none without either.
     */
    public static Optional<Path> folder(HostEnvironment env) {
        return env.get("CLAUDE_CONFIG_DIR").filter(d -> !d.isBlank()).map(Path::of)
                .or(() -> env.get("HOME").filter(h -> !h.isBlank()).map(h -> Path.of(h, ".claude")));
    }

    /**
     * The sign-in in a parsed credentials file, if it holds one with an access token.
     *
     * @throws IllegalArgumentException when the tree is not what Claude Code writes; the message quotes no value
     */
    public static Optional<SignIn> read(Object tree) {
        if (!(tree instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        if (!(root.get(KEY) instanceof Map<?, ?> oauth)) {
            return Optional.empty();
        }
        if (!(oauth.get("accessToken") instanceof String access) || access.isEmpty()) {
            return Optional.empty();
        }
        Optional<Secret> refresh = oauth.get("refreshToken") instanceof String r && !r.isEmpty()
                ? Optional.of(Secret.of(r)) : Optional.empty();
        Instant expires = oauth.get("expiresAt") instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : Instant.MAX;
        List<String> scopes = new ArrayList<>();
        if (oauth.get("scopes") instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
        }
        return Optional.of(new SignIn(Secret.of(access), refresh, expires, scopes, text(oauth.get("subscriptionType")),
                text(oauth.get("rateLimitTier"))));
    }

    /** The parsed file {@code tree} with its sign-in replaced by {@code signIn}; every other key is kept. */
    public static Map<String, Object> withSignIn(Object tree, SignIn signIn) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (tree instanceof Map<?, ?> m) {
            m.forEach((k, v) -> root.put(String.valueOf(k), v));
        }
        Map<String, Object> oauth = new LinkedHashMap<>();
        if (root.get(KEY) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> oauth.put(String.valueOf(k), v));
        }
        oauth.put("accessToken", signIn.accessToken().reveal());
        oauth.put("refreshToken", signIn.refreshToken().map(Secret::reveal).orElse(null));
        oauth.put("expiresAt", signIn.expiresAt().equals(Instant.MAX) ? null : signIn.expiresAt().toEpochMilli());
        oauth.put("scopes", signIn.scopes());
        root.put(KEY, oauth);
        return root;
    }

    /**
     * The credentials file a guest gets for the sign-in {@code real}: sentinel tokens that never
     * expire, with the real scopes and subscription, so that Claude Code believes it is signed in.
     */
    public static Map<String, Object> sentinel(SignIn real) {
        Map<String, Object> oauth = new LinkedHashMap<>();
        oauth.put("accessToken", ACCESS_SENTINEL);
        oauth.put("refreshToken", REFRESH_SENTINEL);
        oauth.put("expiresAt", SENTINEL_EXPIRY.toEpochMilli());
        oauth.put("scopes", real.scopes());
        oauth.put("subscriptionType", real.subscriptionType().orElse(null));
        oauth.put("rateLimitTier", real.rateLimitTier().orElse(null));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(KEY, oauth);
        return root;
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }
}
