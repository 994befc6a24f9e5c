package dev.claudebottle.spi.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent: which bottle it runs in, its prompt, skills and command.
 *
 * @param name       the agent's name, as given to {@code bottle start}
 * @param bottle     the name of its bottle
 * @param prompt     an inline system prompt, if any
 * @param promptFile a prompt file (absolute), if any
 * @param skills     skill directories (absolute)
 * @param command    the command run in the guest
 * @param location   where the agent stands in the manifest
 */
public record AgentDef(String name, String bottle, Optional<String> prompt, Optional<Path> promptFile,
                       List<Path> skills, List<String> command, Location location) {
    /** The command when the manifest gives none. */
    public static final List<String> DEFAULT_COMMAND = List.of("claude", "--dangerously-skip-permissions");

    /** Copies the lists. */
    public AgentDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(promptFile, "promptFile");
        skills = List.copyOf(skills);
        command = List.copyOf(command);
        Objects.requireNonNull(location, "location");
    }
}
