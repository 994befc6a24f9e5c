package dev.claudebottle.provision.gateway;

import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The models a bottle's agent is set to call, as far as the launch can tell: the model settings in
 * the bottle's env and a {@code --model} in the agent's command. Claude Code's aliases
 * ({@code opus}, {@code sonnet}, …) stand for listed models and are left out. Used to warn at launch
 * of a model the price table does not know, which the gateway prices at the dearest family.
 */
final class NamedModels {
    /** The env settings Claude Code reads a model id from. */
    static final List<String> SETTINGS = List.of("ANTHROPIC_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL",
            "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL", "ANTHROPIC_SMALL_FAST_MODEL",
            "CLAUDE_CODE_SUBAGENT_MODEL");
    private static final Set<String> ALIASES = Set.of("default", "opus", "sonnet", "haiku", "opusplan", "best");

    private NamedModels() {
    }

    /** The model ids {@code bottle} and {@code agent} name, in order, each once. */
    static Set<String> of(BottleDef bottle, AgentDef agent) {
        Set<String> models = new LinkedHashSet<>();
        SETTINGS.forEach(name -> {
            String value = bottle.env().get(name);
            if (value != null) {
                models.add(value.strip());
            }
        });
        List<String> command = agent.command();
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.equals("--model") && i + 1 < command.size()) {
                models.add(command.get(i + 1).strip());
            } else if (arg.startsWith("--model=")) {
                models.add(arg.substring("--model=".length()).strip());
            }
        }
        models.removeIf(m -> m.isEmpty() || ALIASES.contains(m.replaceFirst("\\[.*]$", "")));
        return models;
    }

    /** The models {@code bottle} and {@code agent} name that {@code budget} cannot price. */
    static List<String> unpriced(BudgetFile.Budget budget, BottleDef bottle, AgentDef agent) {
        return of(bottle, agent).stream().filter(m -> !budget.prices(m)).toList();
    }
}
