package dev.claudebottle.provision.git;

import dev.claudebottle.spi.manifest.ManifestSection;
import dev.claudebottle.spi.manifest.SectionNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/** The {@code git} section of a bottle: the upstreams the git gate mirrors, one entry each. */
@Extension
public final class GitSection implements ManifestSection<GitSection.Repos> {
    /** The section's key. */
    public static final String KEY = "git";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+");
    private static final Pattern URL_LIKE = Pattern.compile("(ssh|https|http|git)://[^\\s/]+/[^\\s]+");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._/*-]+");

    /**
     * What the section holds.
     *
     * @param repos the entries, in manifest order, their names unique
     */
    public record Repos(List<GitRepoDef> repos) {
        /** Copies the list. */
        public Repos {
            repos = List.copyOf(repos);
        }
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Class<Repos> type() {
        return Repos.class;
    }

    @Override
    public Optional<Repos> read(SectionNode node) {
        List<GitRepoDef> repos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SectionNode item : node.list()) {
            repo(item).ifPresent(repo -> {
                if (names.add(repo.name())) {
                    repos.add(repo);
                } else {
                    item.problem("duplicate name '" + repo.name() + "'");
                }
            });
        }
        return Optional.of(new Repos(repos));
    }

    private Optional<GitRepoDef> repo(SectionNode node) {
        Optional<SectionNode.Fields> f = node.fields("name", "upstream", "identity_file", "known_hosts", "push",
                "protect", "token_env", "username", "push_unknown");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        SectionNode.Fields g = f.get();
        Optional<String> name = g.require("name").flatMap(n -> n.string().filter(v -> {
            if (NAME.matcher(v).matches()) {
                return true;
            }
            n.problem("expected letters, digits, '.', '_' or '-', found '" + v + "'");
            return false;
        }));
        Optional<String> upstream = g.require("upstream").flatMap(n -> n.string().filter(v -> {
            if (SCP_LIKE.matcher(v).matches() || URL_LIKE.matcher(v).matches()) {
                return true;
            }
            n.problem("expected a git URL like git@host:org/repo.git or ssh://host/org/repo.git, found '" + v + "'");
            return false;
        }));
        Optional<Path> identity = g.get("identity_file").flatMap(n -> n.existingPath(false));
        Optional<Path> knownHosts = g.get("known_hosts").flatMap(n -> n.existingPath(false));
        List<String> push = g.get("push").map(GitSection::globs).orElse(List.of());
        List<String> protect = g.get("protect").map(GitSection::globs).orElse(List.of());
        Optional<String> tokenEnv = g.get("token_env").flatMap(n -> n.string().filter(v -> {
            if (!ENV_NAME.matcher(v).matches()) {
                // the value is not echoed: it may be the token itself
                n.problem("expected the name of a host variable like GIT_TOKEN, not a token");
                return false;
            }
            if (upstream.isPresent() && !upstream.get().startsWith("https://")) {
                n.problem("expected an https:// upstream to send a token to, found '" + upstream.get() + "'");
                return false;
            }
            return true;
        }));
        Optional<String> username = g.get("username").flatMap(n -> n.string().filter(v -> {
            if (g.get("token_env").isEmpty()) {
                n.problem("expected together with token_env");
                return false;
            }
            return true;
        }));
        boolean askUnknown = g.get("push_unknown").flatMap(n -> n.string().filter(v -> {
            if (!v.equals("deny") && !v.equals("ask")) {
                n.problem("expected deny or ask, found '" + v + "'");
                return false;
            }
            return true;
        })).map(v -> v.equals("ask")).orElse(false);
        if (name.isEmpty() || upstream.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GitRepoDef(name.get(), upstream.get(), identity, knownHosts, push, protect, tokenEnv,
                username, askUnknown, g.location()));
    }

    private static List<String> globs(SectionNode node) {
        List<String> out = new ArrayList<>();
        for (SectionNode item : node.list()) {
            item.string().ifPresent(v -> {
                if (GLOB.matcher(v).matches() && !v.startsWith("/") && !v.contains("..")) {
                    out.add(v);
                } else {
                    item.problem("expected a branch name or glob like agent/*, found '" + v + "'");
                }
            });
        }
        return out;
    }
}
