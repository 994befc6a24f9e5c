package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git gate against a real SSH upstream: a container running OpenSSH that serves bare repos to
 * one key, reachable from the bundle as git.test. The guest uses the real upstream URL; its
 * ~/.gitconfig sends it to the gate, which alone holds the key.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitGateIT {
    private static final String EGRESS = "claude-bottle-it-git-egress";
    private static final String UPSTREAM = "claude-bottle-it-git-upstream";
    private static final String SEED = String.join(" && ",
            "git init -q --bare -b main /srv/git/app.git",
            "git clone -q /srv/git/app.git /tmp/seed 2>/dev/null",
            "cd /tmp/seed",
            "echo hello > README",
            "git add README",
            "git -c user.name=upstream -c user.email=upstream@git.test commit -q -m 'upstream readme'",
            "git push -q origin main",
            "rm -rf /tmp/seed",
            "printf '#!/bin/sh\\nwhile read old new ref; do [ \"$ref\" != refs/heads/agent/frozen ] || "
                    + "{ echo \"upstream policy: agent/frozen is frozen\" >&2; exit 1; }; done\\n'"
                    + " > /srv/git/app.git/hooks/pre-receive",
            "chmod +x /srv/git/app.git/hooks/pre-receive");
    Path work;
    Path home;
    Path keys;
    String upstreamIp;
    String keyLine;

    @BeforeAll
    void upstream(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        keys = Files.createDirectories(temp.resolve("keys"));
        String image = Docker.testImage("sshd", temp);
        Docker.run("run", "--rm", "--network", "none", "-v", keys + ":/keys", image, "sh", "-c",
                "ssh-keygen -q -t ed25519 -N '' -C it-agent-key -f /keys/id_ed25519"
                        + " && ssh-keygen -q -t ed25519 -N '' -C impostor -f /keys/impostor"
                        + " && chmod 600 /keys/id_ed25519 && chmod 644 /keys/*.pub");
        keyLine = Files.readAllLines(keys.resolve("id_ed25519")).get(1);
        Docker.run("rm", "-f", UPSTREAM);
        Docker.ensureNetwork(EGRESS);
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "git.test", "-v", keys.resolve("id_ed25519.pub") + ":/etc/ssh/authorized_keys/git:ro",
                image);
        Docker.run("exec", "-u", "git", UPSTREAM, "sh", "-c", SEED);
        upstreamIp = Docker.run("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", UPSTREAM);
        String hostKey = Docker.run("exec", UPSTREAM, "cat", "/etc/ssh/ssh_host_ed25519_key.pub");
        Files.writeString(keys.resolve("known_hosts"), "git.test " + withoutComment(hostKey) + "\n");
        Files.writeString(keys.resolve("wrong_known_hosts"), "git.test "
                + withoutComment(Files.readString(keys.resolve("impostor.pub"))) + "\n");
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  gated:
                    git:
                      - name: app
                        upstream: git@git.test:app.git
                        identity_file: %1$s/id_ed25519
                        known_hosts: %1$s/known_hosts
                        push: ["agent/*"]
                        protect: [main]
                      - name: spoofed
                        upstream: ssh://git@git.test/srv/git/app.git
                        identity_file: %1$s/id_ed25519
                        known_hosts: %1$s/wrong_known_hosts
                agents:
                  probe:
                    bottle: gated
                    command: [bash]
                """.formatted(keys));
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli(Path workingDir) {
        return new CliHarness(home, workingDir).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
    }

    @Test
    void agentPushesOnlyWhatThePolicyAllowsAndNeverHoldsTheKey() throws Exception {
        var started = cli(work).run("start", "probe", "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        String slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        try {
            // The gate serves this bottle's guest only.
            assertThat(BundleReach.fromOutside(slug, EGRESS, cli(work).agentImage(), 9418, 8888)).isEmpty();
            String script = String.join("\n",
                    "cd ~ && echo HOME_OWNER=$(stat -c %U .)",
                    "git clone -q git@git.test:app.git app 2>&1; echo CLONE=$?",
                    "cd app && git config user.name agent && git config user.email agent@bottle.test",
                    "echo README=$(cat README)",
                    "git checkout -q -b agent/x && echo work > work.txt && git add work.txt",
                    "git commit -q -m 'agent work' && git push -q origin agent/x 2>&1; echo PUSH_AGENT=$?",
                    "git checkout -q main && echo no > main.txt && git add main.txt && git commit -q -m 'to main'",
                    "git push origin main 2>&1; echo PUSH_MAIN=$?",
                    "git push origin --delete agent/x 2>&1; echo DELETE=$?",
                    "git checkout -q agent/x && echo 'aws_access_key_id = AKIAABCDEFGHIJKLMNOP' > creds.txt",
                    "git add creds.txt && git commit -q -m 'add creds' && git push origin agent/x 2>&1; echo SECRET=$?",
                    "git reset -q --hard origin/agent/x && git commit -q --amend -m rewritten",
                    "git push -f origin agent/x 2>&1; echo FORCE=$?",
                    "git push origin HEAD:agent/frozen 2>&1; echo FROZEN=$?",
                    "echo GATE_FROZEN=$(git ls-remote origin agent/frozen | wc -l)",
                    "git ls-remote ssh://git@git.test/srv/git/app.git 2>&1; echo SPOOFED=$?",
                    "command -v ssh >/dev/null; echo SSH_CLIENT=$?",
                    "timeout 5 bash -c 'exec 3<>/dev/tcp/" + upstreamIp + "/22' 2>&1; echo SSH_TCP=$?",
                    "echo GATE=$GIT_GATE_URL");
            var r = cli(work).run("exec", slug, "--", "bash", "-c", script);
            String out = r.all();

            assertThat(out).contains("HOME_OWNER=node", "CLONE=0", "README=hello", "PUSH_AGENT=0", "GATE=git://");
            assertThat(out).contains("PUSH_MAIN=1").containsPattern("main \\(.*protected");
            assertThat(out).contains("DELETE=1").containsPattern("agent/x \\(.*delet");
            assertThat(out).contains("SECRET=1").contains("aws-access-key-id");
            assertThat(out).contains("FORCE=1").containsPattern("agent/x \\(.*(fast-forward|force)");
            assertThat(out).contains("FROZEN=1", "GATE_FROZEN=0").containsPattern(
                    "agent/frozen \\(upstream refused refs/heads/agent/frozen: .*upstream policy: agent/frozen is frozen");
            assertThat(out).contains("remote error: the git gate cannot reach the upstream of spoofed")
                    .containsPattern("SPOOFED=(?!0)");
            assertThat(out).contains("SSH_CLIENT=1").containsPattern("SSH_TCP=(?!0)");

            assertThat(upstreamGit("log", "--format=%s", "main")).isEqualTo("upstream readme");
            assertThat(upstreamGit("log", "--format=%s", "agent/x")).isEqualTo("agent work\nupstream readme");
            assertThat(upstreamGit("log", "--all", "--format=%s")).doesNotContain("to main", "add creds", "rewritten");

            String guest = Docker.run("ps", "-q", "--filter", "label=claude-bottle.slug=" + slug,
                    "--filter", "label=claude-bottle.role=guest");
            String bundle = Docker.run("ps", "-q", "--filter", "label=claude-bottle.slug=" + slug,
                    "--filter", "label=claude-bottle.role=bundle");
            String find = "grep -rlF --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev '" + keyLine + "' / "
                    + "2>/dev/null; true";
            assertThat(Docker.run("exec", "-u", "0", guest, "sh", "-c", find)).isEmpty();
            assertThat(Docker.run("exec", "-u", "0", bundle, "sh", "-c", find))
                    .contains("/etc/claude-bottle/git/app/id");
            assertThat(Docker.run("inspect", guest)).doesNotContain(keys.toString());

            List<JsonNode> audit = audit(slug);
            assertThat(audit).anySatisfy(a -> assertThat(a.get("kind").asText() + " " + a.get("decision").asText()
                    + " " + a.get("path").asText()).startsWith("git-push allow refs/heads/agent/x 0000000"));
            assertThat(audit).anySatisfy(a -> assertThat(a.get("kind").asText() + " " + a.get("decision").asText()
                    + " " + a.get("path").asText()).startsWith("git-push deny refs/heads/main "));
            assertThat(audit).anySatisfy(a -> assertThat(a.get("kind").asText() + " " + a.get("host").asText()
                    + " " + a.get("decision").asText()).isEqualTo("git-fetch spoofed error"));
            assertThat(audit).filteredOn(a -> a.get("kind").asText().startsWith("git-"))
                    .allSatisfy(a -> assertThat(a.get("reason").asText()).isNotBlank());
        } finally {
            assertThat(cli(work).run("stop", slug).exitCode()).isZero();
        }
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
    }

    @Test
    void cwdGivesTheAgentTheHostRepositoryWithItsHistory(@TempDir Path temp) throws Exception {
        Path repo = Files.createDirectories(temp.resolve("project"));
        hostGit(repo, "init", "-q", "-b", "main");
        hostGit(repo, "remote", "add", "origin", "git@git.test:app.git");
        Files.writeString(repo.resolve("one.txt"), "one\n");
        hostGit(repo, "add", "one.txt");
        hostGit(repo, "-c", "user.name=host", "-c", "user.email=host@bottle.test", "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve("two.txt"), "two\n");
        hostGit(repo, "add", "two.txt");
        hostGit(repo, "-c", "user.name=host", "-c", "user.email=host@bottle.test", "commit", "-q", "-m", "second");
        Path subdir = Files.createDirectories(repo.resolve("src"));

        var started = cli(subdir).run("start", "probe", "-f", work.resolve("bottle.yaml").toString(), "--cwd",
                "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        String slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        CliHarness.Result r;
        try {
            r = cli(work).run("exec", slug, "--", "bash", "-c", String.join("\n",
                    "cd ~/workspace",
                    "echo LOG=$(git log --format=%s | tr '\\n' ,)",
                    "echo OWNER=$(stat -c %U . .git two.txt | sort -u)",
                    "echo DIRTY=$(git status --porcelain | wc -l)",
                    "git fetch -q origin 2>&1; echo FETCH=$?",
                    "echo UPSTREAM=$(git log --format=%s origin/main)"));
        } finally {
            assertThat(cli(work).run("stop", slug).exitCode()).isZero();
        }

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("LOG=second,first,", "OWNER=node", "DIRTY=0", "FETCH=0",
                "UPSTREAM=upstream readme");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
    }

    /** The git gate's lines of the bottle's record. */
    private List<JsonNode> audit(String slug) throws Exception {
        var logs = cli(work).run("logs", slug, "--egress", "--kind", "git-fetch", "--kind", "git-push", "--json");
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(logs.out()).forEach(out::add);
        return out;
    }

    private static String upstreamGit(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("exec", "-u", "git", UPSTREAM, "git", "-C", "/srv/git/app.git"));
        argv.addAll(List.of(args));
        return Docker.run(argv.toArray(String[]::new));
    }

    private static void hostGit(Path repo, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-C", repo.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static String withoutComment(String publicKey) {
        String[] parts = publicKey.strip().split("\\s+");
        return parts[0] + " " + parts[1];
    }
}
