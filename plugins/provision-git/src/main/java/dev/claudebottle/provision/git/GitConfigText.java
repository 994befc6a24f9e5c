package dev.claudebottle.provision.git;

import dev.claudebottle.spi.Endpoint;
import java.util.List;

/**
 * The guest's {@code ~/.gitconfig}: every declared upstream URL is rewritten to the git gate,
 * so the agent uses the real URL and reaches only the gate.
 */
final class GitConfigText {
    private GitConfigText() {
    }

    /** The file's text for the given gate endpoint. */
    static String render(Endpoint gate, List<GitRepoDef> repos) {
        StringBuilder out = new StringBuilder();
        out.append("[user]\n\tname = claude-bottle agent\n\temail = agent@claude-bottle.invalid\n");
        out.append("[init]\n\tdefaultBranch = main\n");
        out.append("[safe]\n\tdirectory = *\n");
        for (GitRepoDef repo : repos) {
            out.append("[url \"git://").append(gate).append('/').append(repo.name()).append(".git\"]\n");
            out.append("\tinsteadOf = ").append(quote(repo.upstream())).append('\n');
        }
        return out.toString();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
