package dev.claudebottle.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The git gate's config file ({@code repos.json}), as provision-git writes it at launch and the
 * bundle's git gate reads it: the repos it mirrors, their push policy and where their credentials
 * are in the bundle. A repo's HTTPS token is not in it, only the bundle env variable holding it.
 * {@link #toJson()} and {@link #fromJson(Object)} are the one mapping to and from its JSON tree.
 *
 * @param repos the repos, in manifest order
 */
public record GateConfigFile(List<Repo> repos) {
    /** The format this build writes and reads. */
    public static final int VERSION = 1;
    /** The user name sent with a token when the manifest names none; GitHub and most forges accept it. */
    public static final String DEFAULT_USERNAME = "x-access-token";

    /** Copies the list. */
    public GateConfigFile {
        repos = List.copyOf(repos);
    }

    /**
     * One repo.
     *
     * @param name         its simple name (the path the guest clones from the gate)
     * @param upstream     where the gate mirrors it from and pushes to
     * @param push         the branch patterns the agent may push
     * @param protect      the branch patterns nobody may push through the gate
     * @param identityFile the SSH key, as a path in the bundle
     * @param knownHosts   the SSH known hosts, as a path in the bundle
     * @param tokenEnv     the bundle env variable with the HTTPS token
     * @param username     the user name sent with the token ({@link #DEFAULT_USERNAME} when absent)
     * @param askUnknown   whether a push to a branch outside {@code push} goes to the approval queue
     *                     ({@code push_unknown: ask}) instead of being refused
     */
    public record Repo(String name, String upstream, List<String> push, List<String> protect,
                       Optional<String> identityFile, Optional<String> knownHosts, Optional<String> tokenEnv,
                       Optional<String> username, boolean askUnknown) {
        /** Requires a simple name and an upstream; copies the lists. */
        public Repo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(upstream, "upstream");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("repo name '" + name + "' is not a simple name");
            }
            if (upstream.isBlank()) {
                throw new IllegalArgumentException("repo " + name + " has no upstream");
            }
            push = List.copyOf(push);
            protect = List.copyOf(protect);
            Objects.requireNonNull(identityFile, "identityFile");
            Objects.requireNonNull(knownHosts, "knownHosts");
            Objects.requireNonNull(tokenEnv, "tokenEnv");
            Objects.requireNonNull(username, "username");
        }

        /** A repo that refuses a push outside {@code push}. */
        public Repo(String name, String upstream, List<String> push, List<String> protect,
                    Optional<String> identityFile, Optional<String> knownHosts, Optional<String> tokenEnv,
                    Optional<String> username) {
            this(name, upstream, push, protect, identityFile, knownHosts, tokenEnv, username, false);
        }
    }

    /** The JSON tree of this config. */
    public Map<String, Object> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Repo repo : repos) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", repo.name());
            r.put("upstream", repo.upstream());
            r.put("push", repo.push());
            r.put("protect", repo.protect());
            repo.identityFile().ifPresent(f -> r.put("identity_file", f));
            repo.knownHosts().ifPresent(f -> r.put("known_hosts", f));
            repo.tokenEnv().ifPresent(v -> r.put("token_env", v));
            repo.username().ifPresent(u -> r.put("username", u));
            r.put("push_unknown", Wire.name(repo.askUnknown() ? PushUnknown.ASK : PushUnknown.DENY));
            out.add(r);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VERSION);
        json.put("repos", out);
        return json;
    }

    /**
     * The config in a JSON tree.
     *
     * @throws IllegalArgumentException naming the first part that is not what this version writes
     */
    public static GateConfigFile fromJson(Object tree) {
        JsonTree root = new JsonTree("the git gate config", tree);
        if (!root.get("version").isNumber(VERSION)) {
            throw new IllegalArgumentException("it is not a version " + VERSION + " git gate config");
        }
        if (root.get("repos").isAbsent()) {
            throw new IllegalArgumentException("it has no repos list");
        }
        List<Object> listed = root.get("repos").listOrEmpty();
        List<Repo> repos = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            JsonTree r = new JsonTree("repos[" + i + "]", listed.get(i));
            try {
                repos.add(new Repo(r.get("name").text(), r.get("upstream").text(), r.get("push").texts(),
                        r.get("protect").texts(), r.get("identity_file").optionalText(),
                        r.get("known_hosts").optionalText(), r.get("token_env").optionalText(),
                        r.get("username").optionalText(), pushUnknown(r)));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith("repos[") ? e : new IllegalArgumentException("repos[" + i + "]: "
                        + e.getMessage());
            }
        }
        return new GateConfigFile(repos);
    }

    private static boolean pushUnknown(JsonTree repo) {
        return repo.get("push_unknown").optionalText().map(v -> Wire.parse(PushUnknown.class, v,
                repo.where() + ".push_unknown")).orElse(PushUnknown.DENY) == PushUnknown.ASK;
    }

    /** What a push to a branch outside a repo's {@code push} gets. */
    public enum PushUnknown {
        /** A refusal. The default. */
        DENY,
        /** A question to a person, through the approval queue. */
        ASK
    }
}
