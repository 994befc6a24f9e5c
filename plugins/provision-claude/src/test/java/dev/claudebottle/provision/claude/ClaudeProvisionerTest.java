package dev.claudebottle.provision.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Claude Code's part of a launch: quiet unless the bottle says otherwise, prompt and skills after the home is the agent's. */
class ClaudeProvisionerTest {
    private static final Location HERE = new Location("bottle.yaml", 3, 5);

    private static Contribution contribute(Map<String, String> bottleEnv, Optional<String> prompt, List<Path> skills) {
        LaunchSpec spec = new LaunchSpec("a-1234", new AgentDef("a", "b", prompt, Optional.empty(), skills,
                AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("b", bottleEnv, EgressDef.DENY_ALL, Map.of(), HERE),
                Path.of("/m"), Path.of("/s"), Optional.empty(), "docker", "/home/node", false, List.of());
        return new ClaudeProvisioner().contribute(spec);
    }

    @Test
    void nonessentialTrafficIsOffUnlessTheBottlesEnvTurnsItBackOn() {
        assertThat(contribute(Map.of(), Optional.empty(), List.of()).guestEnv()).extracting(GuestEnv::name)
                .contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_AUTOUPDATER");
        assertThat(contribute(Map.of("DISABLE_AUTOUPDATER", "0"), Optional.empty(), List.of()).guestEnv())
                .extracting(GuestEnv::name).doesNotContain("DISABLE_AUTOUPDATER")
                .contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC");
    }

    @Test
    void promptAndSkillsWaitForTheHomeAndTheFirstRunAnswersComeLast() {
        Contribution c = contribute(Map.of(), Optional.of("be careful"), List.of(Path.of("/skills/review")));

        assertThat(c.steps()).extracting(Step::id).containsExactly("agent.prompt", "agent.skills",
                ClaudeProvisioner.CLAUDE_CONFIG_STEP);
        assertThat(c.steps()).allSatisfy(s -> assertThat(s.after()).contains(Step.HOME));
        assertThat(c.steps().get(2).phase()).isEqualTo(Phase.FINISH);
        assertThat(contribute(Map.of(), Optional.empty(), List.of()).steps()).extracting(Step::id)
                .containsExactly(ClaudeProvisioner.CLAUDE_CONFIG_STEP);
    }
}
